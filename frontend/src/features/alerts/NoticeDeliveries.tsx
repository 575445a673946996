import { ReloadOutlined, SendOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Drawer, Flex, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ProblemAlert } from '@/components/ProblemAlert';
import { errorText } from '@/lib/errorText';
import { formatDateTime } from '@/lib/format';
import { alertPath } from '@/lib/paths';
import { useSession } from '@/lib/session';
import { deliveriesQuery, useSendTest, type Delivery, type NoticeChannel } from './api';
import { DeliveryStatusTag, NoticeKindTag } from './tags';

interface NoticeDeliveriesProps {
  channel: NoticeChannel | null;
  onClose: () => void;
}

/** 发送记录: a notification channel's last deliveries — how each went, retried, answered — and a test. */
export function NoticeDeliveries({ channel, onClose }: NoticeDeliveriesProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useSession();
  const deliveries = useQuery({ ...deliveriesQuery(channel?.id ?? ''), enabled: !!channel });
  const test = useSendTest();
  if (!channel) return <Drawer open={false} onClose={onClose} />;

  const sendTest = () =>
    test.mutate(channel.id, {
      onSuccess: () => void message.success(t('alerts.notices.testQueued', { name: channel.name })),
      onError: (error) => void message.error(errorText(error, t)),
    });

  const columns: ColumnsType<Delivery> = [
    {
      title: t('alerts.deliveries.createdAt'),
      dataIndex: 'created_at',
      width: 140,
      render: (v: string) => formatDateTime(v, me.org.timezone),
    },
    {
      title: t('alerts.deliveries.event'),
      key: 'event',
      render: (_, d) => {
        const label = t(`alerts.deliveries.events.${d.event.replace('.', '_')}`, { defaultValue: d.event });
        return d.alert_id ? <Link to={alertPath(d.alert_id)}>{label}</Link> : label;
      },
    },
    {
      title: t('alerts.deliveries.status'),
      key: 'status',
      render: (_, d) => <DeliveryStatusTag delivery={d} timezone={me.org.timezone} />,
    },
    { title: t('alerts.deliveries.attempts'), dataIndex: 'attempts', align: 'right', width: 70 },
    {
      title: t('alerts.deliveries.statusCode'),
      dataIndex: 'status_code',
      align: 'right',
      width: 80,
      render: (v: number | null) => v ?? '—',
    },
    {
      title: t('alerts.deliveries.error'),
      key: 'error',
      ellipsis: true,
      // A skipped delivery's note says why it was not sent: not an error.
      render: (_, d) =>
        d.error ? (
          <Typography.Text type={d.status === 'skipped' ? 'secondary' : 'danger'}>{d.error}</Typography.Text>
        ) : (
          '—'
        ),
    },
    {
      title: t('alerts.deliveries.sentAt'),
      dataIndex: 'sent_at',
      width: 140,
      render: (v: string | null) => (v ? formatDateTime(v, me.org.timezone) : '—'),
    },
  ];

  return (
    <Drawer
      open
      width={920}
      title={
        <Flex gap={8} align="center">
          {channel.name}
          <NoticeKindTag kind={channel.kind} />
        </Flex>
      }
      onClose={onClose}
      extra={
        <Button icon={<SendOutlined />} loading={test.isPending} onClick={sendTest} data-testid="drawer-test">
          {t('alerts.notices.test')}
        </Button>
      }
      data-testid="notice-drawer"
    >
      <Flex justify="space-between" align="center">
        <Typography.Title level={5}>{t('alerts.deliveries.title')}</Typography.Title>
        <Button
          size="small"
          type="text"
          icon={<ReloadOutlined />}
          loading={deliveries.isFetching}
          onClick={() => void deliveries.refetch()}
          aria-label={t('common.refresh')}
        />
      </Flex>
      {deliveries.error ? <ProblemAlert error={deliveries.error} /> : null}
      <Table<Delivery>
        rowKey="id"
        size="small"
        loading={deliveries.isPending}
        columns={columns}
        dataSource={deliveries.data?.items ?? []}
        locale={{ emptyText: t('alerts.deliveries.empty') }}
        pagination={false}
        data-testid="notice-deliveries"
      />
    </Drawer>
  );
}
