import { PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import type { UseQueryResult } from '@tanstack/react-query';
import { App, Button, Card, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '@/components/EmptyState';
import { ProblemAlert } from '@/components/ProblemAlert';
import { errorText } from '@/lib/errorText';
import { useAddDefaultChannels, useUpdateChannel, type Channel } from './api';
import { ChannelFormModal } from './ChannelFormModal';
import { ChannelKindTag } from './tags';

interface ChannelListProps {
  channels: UseQueryResult<Channel[]>;
  canManage: boolean;
}

/** The channels (抖音, 小红书 …): the common ones added in one go, others by hand, retired when no longer used. */
export function ChannelList({ channels, canManage }: ChannelListProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const defaults = useAddDefaultChannels();
  const update = useUpdateChannel();
  const [editing, setEditing] = useState<Channel | 'new' | null>(null);
  const failed = (error: unknown) => void message.error(errorText(error, t));

  const addDefaults = () =>
    defaults.mutate(undefined, {
      onSuccess: (list) => void message.success(t('channels.defaultsAdded', { count: list.length })),
      onError: failed,
    });
  const setActive = (channel: Channel, active: boolean) =>
    update.mutate(
      { id: channel.id, body: { active, version: channel.version } },
      {
        onSuccess: () =>
          void message.success(t(active ? 'channels.reactivated' : 'channels.retiredDone', { name: channel.name })),
        onError: failed,
      },
    );

  const defaultsButton = (primary: boolean) => (
    <Button
      type={primary ? 'primary' : 'default'}
      icon={<ThunderboltOutlined />}
      loading={defaults.isPending}
      onClick={addDefaults}
      data-testid="channels-defaults"
    >
      {t('channels.addDefaults')}
    </Button>
  );
  const createButton = (
    <Button icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="channel-create">
      {t('channels.create')}
    </Button>
  );

  const columns: ColumnsType<Channel> = [
    {
      title: t('channels.fields.key'),
      dataIndex: 'key',
      width: 160,
      render: (key: string) => <Typography.Text code>{key}</Typography.Text>,
    },
    { title: t('channels.fields.name'), dataIndex: 'name' },
    { title: t('channels.fields.kind'), key: 'kind', width: 120, render: (_, c) => <ChannelKindTag kind={c.kind} /> },
    {
      title: t('channels.fields.active'),
      key: 'active',
      width: 100,
      render: (_, c) =>
        c.active ? <Tag color="green">{t('channels.active')}</Tag> : <Tag>{t('channels.retired')}</Tag>,
    },
    ...(canManage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 160,
            render: (_: unknown, c: Channel) => (
              <Space size={4}>
                <Button size="small" onClick={() => setEditing(c)} data-testid="channel-edit">
                  {t('channels.edit')}
                </Button>
                {c.active ? (
                  <Popconfirm
                    title={t('channels.retireConfirm', { name: c.name })}
                    okText={t('channels.retire')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => setActive(c, false)}
                  >
                    <Button size="small" data-testid="channel-retire">
                      {t('channels.retire')}
                    </Button>
                  </Popconfirm>
                ) : (
                  <Button size="small" onClick={() => setActive(c, true)} data-testid="channel-reactivate">
                    {t('channels.reactivate')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]
      : []),
  ];

  const empty = channels.isSuccess && channels.data.length === 0;
  return (
    <Card
      title={t('channels.listTitle')}
      extra={
        canManage && !empty ? (
          <Space>
            {defaultsButton(false)}
            {createButton}
          </Space>
        ) : null
      }
    >
      {channels.error ? <ProblemAlert error={channels.error} onRetry={() => void channels.refetch()} /> : null}
      {empty ? (
        <EmptyState
          title={t('channels.empty.title')}
          description={t(canManage ? 'channels.empty.manage' : 'channels.empty.read')}
          action={
            canManage ? (
              <Space>
                {defaultsButton(true)}
                {createButton}
              </Space>
            ) : null
          }
          testId="channels-empty"
        />
      ) : (
        <Table<Channel>
          rowKey="id"
          size="small"
          loading={channels.isPending}
          columns={columns}
          dataSource={channels.data ?? []}
          pagination={false}
          data-testid="channel-table"
        />
      )}
      <ChannelFormModal
        open={editing !== null}
        channel={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
        onSaved={(saved) => void message.success(t('channels.saved', { name: saved.name }))}
      />
    </Card>
  );
}
