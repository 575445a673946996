import { BellOutlined, CheckCircleOutlined, CloseCircleOutlined, ClockCircleOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Badge, Button, Drawer, Flex, List, Segmented, Typography, theme } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { EmptyState } from '@/components/EmptyState';
import { ProblemAlert } from '@/components/ProblemAlert';
import { formatDateTime } from '@/lib/format';
import { useSession } from '@/lib/session';
import {
  notificationLink,
  notificationsQuery,
  unreadCountQuery,
  useMarkAllRead,
  useMarkRead,
  type Notification,
} from './api';

const PAGE = 20;
const MAX = 200; // the API's largest page

function KindIcon({ kind }: { kind: string }): ReactNode {
  const { token } = theme.useToken();
  if (kind === 'approval.approved') return <CheckCircleOutlined style={{ color: token.colorSuccess }} />;
  if (kind === 'approval.rejected') return <CloseCircleOutlined style={{ color: token.colorError }} />;
  if (kind === 'approval.awaiting') return <ClockCircleOutlined style={{ color: token.colorPrimary }} />;
  return <BellOutlined />;
}

/** The header's bell: the unread count, and a drawer listing the reader's notifications. */
export function NotificationBell() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const me = useSession();
  const navigate = useNavigate();
  const { token } = theme.useToken();
  const [open, setOpen] = useState(false);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [limit, setLimit] = useState(PAGE);
  const unread = useQuery(unreadCountQuery).data ?? 0;
  const list = useQuery({ ...notificationsQuery(lang, unreadOnly, limit), enabled: open });
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();

  const openOne = (n: Notification) => {
    if (!n.read_at) markRead.mutate(n.id);
    const to = notificationLink(n);
    if (to) {
      setOpen(false);
      void navigate(to);
    }
  };

  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;
  return (
    <>
      <Badge count={unread} size="small" offset={[-6, 6]} data-testid="notification-count">
        <Button
          type="text"
          icon={<BellOutlined style={{ fontSize: 18 }} />}
          onClick={() => setOpen(true)}
          aria-label={unread > 0 ? t('notifications.bellUnread', { count: unread }) : t('notifications.bell')}
          data-testid="notification-bell"
        />
      </Badge>
      <Drawer
        open={open}
        onClose={() => setOpen(false)}
        width={420}
        title={t('notifications.title')}
        data-testid="notification-drawer"
        extra={
          <Button
            size="small"
            type="link"
            disabled={unread === 0}
            loading={markAll.isPending}
            onClick={() => markAll.mutate()}
            data-testid="notification-read-all"
          >
            {t('notifications.markAllRead')}
          </Button>
        }
      >
        <Flex vertical gap={12}>
          <Segmented
            value={unreadOnly ? 'unread' : 'all'}
            onChange={(v) => {
              setUnreadOnly(v === 'unread');
              setLimit(PAGE);
            }}
            options={[
              { value: 'all', label: t('notifications.all') },
              { value: 'unread', label: t('notifications.unread') },
            ]}
            data-testid="notification-filter"
          />
          {list.error ? <ProblemAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
          <List
            loading={list.isPending && open}
            dataSource={items}
            locale={{ emptyText: <EmptyState compact description={t('notifications.empty')} /> }}
            renderItem={(n) => (
              <List.Item
                data-testid="notification-item"
                data-unread={n.read_at ? undefined : 'true'}
                onClick={() => openOne(n)}
                style={{
                  cursor: 'pointer',
                  paddingInline: 8,
                  background: n.read_at ? undefined : token.colorPrimaryBg,
                  borderRadius: token.borderRadius,
                }}
              >
                <List.Item.Meta
                  avatar={<KindIcon kind={n.kind} />}
                  title={
                    <Typography.Text strong={!n.read_at} data-testid="notification-title">
                      {n.title}
                    </Typography.Text>
                  }
                  description={
                    <Flex vertical gap={2}>
                      {n.body ? <Typography.Text type="secondary">{n.body}</Typography.Text> : null}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatDateTime(n.created_at, me.org.timezone)}
                      </Typography.Text>
                    </Flex>
                  }
                />
              </List.Item>
            )}
          />
          {items.length < total && limit < MAX ? (
            <Button
              onClick={() => setLimit(Math.min(limit + PAGE, MAX))}
              loading={list.isFetching}
              data-testid="notification-more"
            >
              {t('notifications.more')}
            </Button>
          ) : null}
        </Flex>
      </Drawer>
    </>
  );
}
