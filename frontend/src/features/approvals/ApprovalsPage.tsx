import { useQuery } from '@tanstack/react-query';
import { Button, Card, Segmented, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { EmptyState } from '@/components/EmptyState';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { formatDateTime, formatMoney, type DisplayLocale } from '@/lib/format';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import { APPROVAL_STATE_COLORS } from '@/lib/projects';
import { roleLabelKey } from '@/lib/roles';
import { useSession } from '@/lib/session';
import { approvalsQuery, type Approval, type Box, type RequestState } from './api';
import { ApprovalDrawer } from './ApprovalDrawer';

const PAGE_SIZE = 20;
const STATES: RequestState[] = ['pending', 'approved', 'rejected', 'withdrawn'];

/** The approval center: requests waiting for me, my own requests, and (approvers) all of them. */
export function ApprovalsPage() {
  const { t, i18n } = useTranslation();
  const locale: DisplayLocale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const me = useSession();
  const canDecide = hasPermission(me, PERMISSIONS.approvalsDecide);
  const [params, setParams] = useSearchParams();
  const boxes: Box[] = canDecide ? ['inbox', 'mine', 'all'] : ['mine'];
  const requested = params.get('box') as Box | null;
  const box: Box = requested && boxes.includes(requested) ? requested : (boxes[0] ?? 'mine');
  const stateParam = params.get('state');
  // The inbox only ever holds pending requests; the other boxes may filter by state.
  const state = box === 'inbox' ? undefined : STATES.find((s) => s === stateParam);
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const openId = params.get('open');
  const list = useQuery(approvalsQuery({ box, state, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }));

  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  };

  const columns: ColumnsType<Approval> = [
    {
      title: t('approvals.fields.title'),
      dataIndex: 'title',
      render: (title: string, a) => (
        <Button
          type="link"
          style={{ padding: 0, height: 'auto' }}
          onClick={() => update({ open: a.id })}
          data-testid="approval-open"
        >
          {title}
        </Button>
      ),
    },
    {
      title: t('approvals.fields.type'),
      dataIndex: 'request_type',
      width: 110,
      render: (type: string) => t(`approvals.types.${type}`, { defaultValue: type }),
    },
    {
      title: t('approvals.fields.amount'),
      dataIndex: 'amount',
      width: 150,
      align: 'right',
      render: (amount: string | null, a) => formatMoney(amount, a.currency, locale),
    },
    { title: t('approvals.fields.requester'), dataIndex: 'requested_by_name', width: 170 },
    {
      title: t('approvals.fields.state'),
      dataIndex: 'state',
      width: 90,
      render: (s: RequestState) => (
        <Tag color={APPROVAL_STATE_COLORS[s]} data-testid="approval-state">
          {t(`approvals.state.${s}`)}
        </Tag>
      ),
    },
    {
      title: t('approvals.fields.waitingFor'),
      dataIndex: 'waiting_for_role',
      width: 110,
      render: (role: string | null) => (role ? t(roleLabelKey(role)) : '—'),
    },
    {
      title: t('approvals.fields.requestedAt'),
      dataIndex: 'created_at',
      width: 150,
      render: (at: string) => formatDateTime(at, me.org.timezone),
    },
  ];

  return (
    <>
      <PageHeader title={t('approvals.title')} subtitle={t('approvals.subtitle')} testId="approvals-page" />
      <Card variant="borderless">
        <Tabs
          activeKey={box}
          onChange={(key) => update({ box: key, page: undefined, state: undefined })}
          items={boxes.map((b) => ({
            key: b,
            label: <span data-testid={`approvals-tab-${b}`}>{t(`approvals.box.${b}`)}</span>,
          }))}
          tabBarExtraContent={
            box === 'inbox' ? null : (
              <Segmented
                size="small"
                value={state ?? 'any'}
                onChange={(value) => update({ state: value === 'any' ? undefined : value, page: undefined })}
                options={[
                  { value: 'any', label: t('common.all') },
                  ...STATES.map((s) => ({ value: s, label: t(`approvals.state.${s}`) })),
                ]}
                data-testid="approvals-state-filter"
              />
            )
          }
        />
        {list.error ? <ProblemAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
        <Table<Approval>
          rowKey="id"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: 1000 }}
          data-testid="approvals-table"
          onRow={(a) =>
            ({ 'data-testid': 'approval-row', 'data-approval-id': a.id }) as React.HTMLAttributes<HTMLElement>
          }
          locale={{
            emptyText: list.isPending ? (
              ' '
            ) : (
              <EmptyState compact description={t(`approvals.empty.${box}`)} testId="approvals-empty" />
            ),
          }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: list.data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (total) => t('common.total', { total }),
            onChange: (p) => update({ page: p > 1 ? String(p) : undefined }),
          }}
        />
        {box === 'inbox' && (list.data?.total ?? 0) > 0 ? (
          <Typography.Text type="secondary">{t('approvals.inboxHint')}</Typography.Text>
        ) : null}
      </Card>
      <ApprovalDrawer approvalId={openId} open={!!openId} onClose={() => update({ open: undefined })} locale={locale} />
    </>
  );
}
