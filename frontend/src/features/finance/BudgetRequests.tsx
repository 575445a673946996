import { FileAddOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Flex, Popconfirm, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ProblemAlert } from '@/components/ProblemAlert';
import type { ProjectFinanceProps } from '@/lib/financePanels';
import { formatDateTime, formatMoney } from '@/lib/format';
import { approvalPath } from '@/lib/paths';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import { APPROVAL_STATE_COLORS } from '@/lib/projects';
import { useSession } from '@/lib/session';
import type { BudgetSummary } from './api';
import { BudgetRequestDrawer } from './BudgetRequestDrawer';
import { BudgetRequestItems } from './BudgetRequestItems';
import { useDisplayLocale } from './hooks';
import { requestKind, requestLines, REQUESTS_BUDGET, type BudgetRequest } from './requestModel';
import { budgetRequestsQuery, useWithdrawBudgetRequest } from './requestsApi';

type Project = ProjectFinanceProps['project'];

const PAGE_SIZE = 10;
const FIRST_PAGE = { limit: PAGE_SIZE, offset: 0 };

/**
 * 申请预算 / 申请变更: shown to who may ask (budget:request, on a project they manage) while the
 * project is registered and not closed; disabled, saying why, while a request waits.
 */
export function BudgetRequestButton({ project, mayManage, summary }: ProjectFinanceProps & { summary: BudgetSummary }) {
  const { t } = useTranslation();
  const me = useSession();
  const [open, setOpen] = useState(false);
  const visible = hasPermission(me, PERMISSIONS.budgetRequest) && mayManage && REQUESTS_BUDGET.includes(project.status);
  const requests = useQuery({ ...budgetRequestsQuery(project.id, FIRST_PAGE), enabled: visible });
  if (!visible || !requests.data) return null;
  // One request waits at a time, and nothing newer can be asked meanwhile: it is the newest.
  const pending = requests.data.items.find((r) => r.state === 'pending');
  if (pending) {
    return (
      <Tooltip title={t('finance.requests.pendingHint')}>
        <Tag color="processing" bordered={false} data-testid="budget-request-pending">
          {pending.approval_request_id ? (
            <Link to={approvalPath(pending.approval_request_id)}>{t('finance.requests.pending')}</Link>
          ) : (
            t('finance.requests.pending')
          )}
        </Tag>
      </Tooltip>
    );
  }
  const kind = requestKind(requestLines(summary, project.budget_lines));
  return (
    <>
      <Button icon={<FileAddOutlined />} onClick={() => setOpen(true)} data-testid="budget-request-open">
        {t(`finance.requests.action.${kind}`)}
      </Button>
      <BudgetRequestDrawer project={project} summary={summary} open={open} onClose={() => setOpen(false)} />
    </>
  );
}

/** The project's budget requests, newest first: state, money, the lines before → after, the approval. */
export function BudgetRequests({ project }: { project: Project }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useSession();
  const locale = useDisplayLocale();
  const [page, setPage] = useState(1);
  const query = useQuery(budgetRequestsQuery(project.id, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }));
  const withdraw = useWithdrawBudgetRequest(project.id);
  const canDecide = hasPermission(me, PERMISSIONS.approvalsDecide);
  const money = (amount: string) => formatMoney(amount, project.currency, locale);
  if (query.error) return <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />;
  // Nothing asked yet: the button says what can be done.
  if (!query.data || query.data.total === 0) return null;

  const columns: ColumnsType<BudgetRequest> = [
    {
      title: t('finance.requests.createdAt'),
      key: 'created_at',
      render: (_, r) => formatDateTime(r.created_at, me.org.timezone),
    },
    {
      title: t('finance.requests.kindColumn'),
      key: 'kind',
      render: (_, r) => t(`finance.requests.kind.${r.kind}`),
    },
    {
      title: t('finance.stateColumn'),
      key: 'state',
      render: (_, r) => (
        <Tag color={APPROVAL_STATE_COLORS[r.state]} data-testid="budget-request-state">
          {t(`approvals.state.${r.state}`)}
        </Tag>
      ),
    },
    {
      title: t('finance.requests.added'),
      key: 'amount',
      align: 'right',
      render: (_, r) => money(r.amount),
    },
    {
      title: t('finance.requests.budgetChange'),
      key: 'totals',
      align: 'right',
      render: (_, r) => (
        <span data-testid="budget-request-totals">
          {money(r.total_before)} → {money(r.total_after)}
        </span>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, r) => {
        const mine = r.requested_by_member_id === me.membership_id;
        return (
          <Flex gap={8} wrap>
            {r.approval_request_id ? (
              <Link
                to={approvalPath(r.approval_request_id, mine || !canDecide ? 'mine' : 'all')}
                data-testid="budget-request-approval"
              >
                {t('finance.requests.viewApproval')}
              </Link>
            ) : null}
            {r.state === 'pending' && mine ? (
              <Popconfirm
                title={t('finance.requests.withdrawConfirm')}
                okText={t('finance.requests.withdraw')}
                cancelText={t('common.cancel')}
                onConfirm={() =>
                  withdraw.mutate(r, { onSuccess: () => void message.success(t('finance.requests.withdrawn')) })
                }
              >
                <Button type="link" size="small" style={{ padding: 0 }} data-testid="budget-request-withdraw">
                  {t('finance.requests.withdraw')}
                </Button>
              </Popconfirm>
            ) : null}
          </Flex>
        );
      },
    },
  ];

  return (
    <Card size="small" title={t('finance.requests.title')} data-testid="budget-requests">
      {withdraw.error ? <ProblemAlert error={withdraw.error} /> : null}
      <Table<BudgetRequest>
        rowKey="id"
        size="small"
        dataSource={query.data.items}
        columns={columns}
        loading={query.isFetching && query.isPlaceholderData}
        scroll={{ x: 760 }}
        expandable={{
          expandedRowRender: (r) => (
            <Flex vertical gap={8}>
              <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>
                <Typography.Text type="secondary">{t('finance.requests.reason')}：</Typography.Text>
                {r.reason}
              </Typography.Paragraph>
              <BudgetRequestItems request={r} currency={project.currency} phases={project.phases} />
            </Flex>
          ),
          defaultExpandedRowKeys: query.data.items.filter((r) => r.state === 'pending').map((r) => r.id),
        }}
        pagination={
          query.data.total > PAGE_SIZE
            ? { current: page, pageSize: PAGE_SIZE, total: query.data.total, onChange: setPage, size: 'small' }
            : false
        }
      />
    </Card>
  );
}
