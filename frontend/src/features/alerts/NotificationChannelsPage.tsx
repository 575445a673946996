import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Flex, Popconfirm, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { errorText } from '@/lib/errorText';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import {
  noticeChannelsQuery,
  useDeleteNoticeChannel,
  useSendTest,
  useUpdateNoticeChannel,
  type NoticeChannel,
} from './api';
import { NoticeChannelFormModal } from './NoticeChannelFormModal';
import { NoticeDeliveries } from './NoticeDeliveries';
import { SeverityTag } from '@/components/SeverityTag';
import { NoticeKindTag } from './tags';

/**
 * 通知渠道: where alerts are sent besides the in-app list — Feishu, DingTalk, WeCom and Slack
 * bots, a signed webhook, e-mail — each with a test message and its delivery log.
 */
export function NotificationChannelsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useSession();
  const mayAllowPrivate = hasPermission(me, PERMISSIONS.orgManage);
  const channels = useQuery(noticeChannelsQuery);
  const update = useUpdateNoticeChannel();
  const remove = useDeleteNoticeChannel();
  const test = useSendTest();
  const [editing, setEditing] = useState<NoticeChannel | 'new' | null>(null);
  const [viewingId, setViewingId] = useState<string | null>(null);
  const failed = { onError: (error: unknown) => void message.error(errorText(error, t)) };

  const setActive = (channel: NoticeChannel, active: boolean) =>
    update.mutate(
      { id: channel.id, body: { active, version: channel.version } },
      {
        ...failed,
        onSuccess: () =>
          void message.success(t(active ? 'alerts.notices.resumed' : 'alerts.notices.paused', { name: channel.name })),
      },
    );

  const sendTest = (channel: NoticeChannel) =>
    test.mutate(channel.id, {
      ...failed,
      onSuccess: () => {
        void message.success(t('alerts.notices.testQueued', { name: channel.name }));
        setViewingId(channel.id);
      },
    });

  const columns: ColumnsType<NoticeChannel> = [
    {
      title: t('alerts.notices.fields.name'),
      key: 'name',
      render: (_, c) => (
        <Typography.Link onClick={() => setViewingId(c.id)} data-testid="notice-open">
          {c.name}
        </Typography.Link>
      ),
    },
    {
      title: t('alerts.notices.fields.kind'),
      key: 'kind',
      width: 120,
      render: (_, c) => <NoticeKindTag kind={c.kind} />,
    },
    {
      title: t('alerts.notices.fields.target'),
      key: 'target',
      render: (_, c) => (
        <Flex vertical gap={2}>
          <Typography.Text code style={{ wordBreak: 'break-all' }} data-testid="notice-target">
            {c.kind === 'email' ? c.emails.join(', ') : (c.url ?? '—')}
          </Typography.Text>
          <Space size={4} wrap>
            {c.has_secret ? <Tag color="blue">{t('alerts.notices.signed')}</Tag> : null}
            {c.allow_private ? (
              <Tooltip title={t('alerts.notices.form.allowPrivateHint')}>
                <Tag color="orange" data-testid="notice-private">
                  {t('alerts.notices.private')}
                </Tag>
              </Tooltip>
            ) : null}
          </Space>
        </Flex>
      ),
    },
    {
      title: t('alerts.notices.fields.min_severity'),
      key: 'severity',
      width: 110,
      render: (_, c) => (
        <Space size={2}>
          <SeverityTag severity={c.min_severity} />
          {c.min_severity === 'critical' ? null : t('alerts.notices.andAbove')}
        </Space>
      ),
    },
    {
      title: t('alerts.notices.fields.active'),
      key: 'active',
      width: 80,
      render: (_, c) => (
        <Switch
          size="small"
          checked={c.active}
          loading={update.isPending && update.variables?.id === c.id}
          onChange={(checked) => setActive(c, checked)}
          aria-label={t('alerts.notices.fields.active')}
          data-testid="notice-active"
        />
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 240,
      render: (_, c) => (
        <Space size={4} wrap>
          <Button
            size="small"
            onClick={() => sendTest(c)}
            loading={test.isPending && test.variables === c.id}
            data-testid="notice-test"
          >
            {t('alerts.notices.test')}
          </Button>
          <Button size="small" onClick={() => setEditing(c)} data-testid="notice-edit">
            {t('alerts.edit')}
          </Button>
          <Popconfirm
            title={t('alerts.notices.deleteConfirm', { name: c.name })}
            okText={t('common.delete')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={() =>
              remove.mutate(c.id, {
                ...failed,
                onSuccess: () => void message.success(t('alerts.notices.deleted', { name: c.name })),
              })
            }
          >
            <Button size="small" danger data-testid="notice-delete">
              {t('common.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('alerts.notices.title')}
        subtitle={t('alerts.notices.subtitle')}
        testId="notices-title"
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="notice-create">
            {t('alerts.notices.create')}
          </Button>
        }
      />
      {channels.error ? <ProblemAlert error={channels.error} onRetry={() => void channels.refetch()} /> : null}
      <Table<NoticeChannel>
        rowKey="id"
        loading={channels.isPending}
        columns={columns}
        dataSource={channels.data ?? []}
        locale={{ emptyText: t('alerts.notices.empty') }}
        pagination={false}
        data-testid="notice-table"
      />
      <NoticeChannelFormModal
        open={editing !== null}
        channel={editing === 'new' ? null : editing}
        mayAllowPrivate={mayAllowPrivate}
        onClose={() => setEditing(null)}
        onSaved={(saved) => void message.success(t('alerts.notices.saved', { name: saved.name }))}
      />
      <NoticeDeliveries
        channel={channels.data?.find((c) => c.id === viewingId) ?? null}
        onClose={() => setViewingId(null)}
      />
    </>
  );
}
