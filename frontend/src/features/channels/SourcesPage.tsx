import { CloudUploadOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Flex, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { errorText } from '@/lib/errorText';
import { formatDateTime, formatDecimal, type DisplayLocale } from '@/lib/format';
import { channelUploadPath } from '@/lib/paths';
import { hasPermission } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import { channelsQuery, sourcesQuery, useDeleteSource, useUpdateSource, type Source } from './api';
import { SourceDrawer } from './SourceDrawer';
import { SourceFormModal } from './SourceFormModal';
import { SourceKindTag } from './tags';

/** 数据源: where channel data comes from; those who manage channels add, pause and remove sources. */
export function SourcesPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const { message } = App.useApp();
  const me = useSession();
  const canManage = hasPermission(me, 'channels:manage');
  const canSend = hasPermission(me, 'channel_data:send');
  const sources = useQuery(sourcesQuery);
  const channels = useQuery(channelsQuery);
  const update = useUpdateSource();
  const remove = useDeleteSource();
  const [editing, setEditing] = useState<Source | 'new' | null>(null);
  const [viewingId, setViewingId] = useState<string | null>(null);
  const channelName = (id: string | null) => channels.data?.find((c) => c.id === id)?.name ?? '—';
  const failed = { onError: (error: unknown) => void message.error(errorText(error, t)) };

  const setActive = (source: Source, active: boolean) =>
    update.mutate(
      { id: source.id, body: { active, version: source.version } },
      {
        ...failed,
        onSuccess: () =>
          void message.success(
            t(active ? 'channels.sources.resumed' : 'channels.sources.pausedDone', { name: source.name }),
          ),
      },
    );

  const columns: ColumnsType<Source> = [
    {
      title: t('channels.sources.fields.name'),
      key: 'name',
      render: (_, s) => (
        <Flex gap={8} align="center" wrap>
          <Typography.Link onClick={() => setViewingId(s.id)} data-testid="source-open">
            {s.name}
          </Typography.Link>
          {s.kind === 'upload' && s.active && canSend ? (
            <Link to={channelUploadPath(s.id)} data-testid="source-upload">
              <CloudUploadOutlined /> {t('channels.sources.upload')}
            </Link>
          ) : null}
        </Flex>
      ),
    },
    {
      title: t('channels.sources.fields.kind'),
      dataIndex: 'kind',
      width: 100,
      render: (_, s) => <SourceKindTag kind={s.kind} />,
    },
    { title: t('channels.sources.fields.channel'), key: 'channel', render: (_, s) => channelName(s.channel_id) },
    {
      title: t('channels.sources.fields.currency'),
      key: 'currency',
      render: (_, s) =>
        s.currency === me.org.currency
          ? s.currency
          : t('channels.sources.rateValue', {
              currency: s.currency,
              rate: formatDecimal(s.rate, locale, 6),
              orgCurrency: me.org.currency,
            }),
    },
    {
      title: t('channels.sources.fields.status'),
      key: 'status',
      width: 100,
      render: (_, s) =>
        s.active ? (
          <Tag color="green">{t('channels.sources.active')}</Tag>
        ) : (
          <Tag data-testid="source-paused">{t('channels.sources.paused')}</Tag>
        ),
    },
    {
      title: t('channels.sources.fields.lastReceived'),
      dataIndex: 'last_received_at',
      width: 150,
      render: (v: string | null) => (v ? formatDateTime(v, me.org.timezone) : t('common.never')),
    },
    ...(canManage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 200,
            render: (_: unknown, s: Source) => (
              <Space size={4} wrap>
                <Button size="small" onClick={() => setEditing(s)} data-testid="source-edit">
                  {t('channels.edit')}
                </Button>
                {s.active ? (
                  <Popconfirm
                    title={t('channels.sources.pauseConfirm', { name: s.name })}
                    okText={t('channels.sources.pause')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => setActive(s, false)}
                  >
                    <Button size="small" data-testid="source-pause">
                      {t('channels.sources.pause')}
                    </Button>
                  </Popconfirm>
                ) : (
                  <Button size="small" onClick={() => setActive(s, true)} data-testid="source-resume">
                    {t('channels.sources.resume')}
                  </Button>
                )}
                <Popconfirm
                  title={t('channels.sources.deleteConfirm', { name: s.name })}
                  okText={t('common.delete')}
                  okButtonProps={{ danger: true }}
                  cancelText={t('common.cancel')}
                  onConfirm={() =>
                    remove.mutate(s.id, {
                      ...failed,
                      onSuccess: () => void message.success(t('channels.sources.deleted', { name: s.name })),
                    })
                  }
                >
                  <Button size="small" danger data-testid="source-delete">
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={t('channels.sources.title')}
        subtitle={t('channels.sources.subtitle')}
        testId="sources-title"
        extra={
          canManage ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing('new')}
              data-testid="source-create"
            >
              {t('channels.sources.create')}
            </Button>
          ) : null
        }
      />
      {sources.error ? <ProblemAlert error={sources.error} onRetry={() => void sources.refetch()} /> : null}
      <Table<Source>
        rowKey="id"
        loading={sources.isPending}
        columns={columns}
        dataSource={sources.data ?? []}
        locale={{ emptyText: t('channels.sources.empty') }}
        pagination={false}
        data-testid="source-table"
      />
      <SourceFormModal
        open={editing !== null}
        source={editing === 'new' ? null : editing}
        channels={channels.data ?? []}
        onClose={() => setEditing(null)}
        onSaved={(saved) => void message.success(t('channels.sources.saved', { name: saved.name }))}
      />
      <SourceDrawer
        source={sources.data?.find((s) => s.id === viewingId) ?? null}
        channelName={channelName}
        canManage={canManage}
        onClose={() => setViewingId(null)}
      />
    </>
  );
}
