import { useQuery } from '@tanstack/react-query';
import { Card, DatePicker, Flex, Segmented, Select, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { projectPath } from '@/lib/paths';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import type { BudgetCategory, CostKind } from './api';
import { CostDrawer } from './CostDrawer';
import { useCostColumns } from './costColumns';
import { orgCostsQuery, projectChoicesQuery, type OrgCost, type OrgCostFilters } from './ledgerApi';
import { CATEGORIES, COST_KINDS } from './model';

const PAGE_SIZE = 20;

type Filters = Omit<OrgCostFilters, 'limit' | 'offset'>;
type Verified = 'open' | 'verified' | 'all';

const VERIFIED: Record<Verified, boolean | undefined> = { open: false, verified: true, all: undefined };

/**
 * 待核验成本: the organisation's costs across its projects for finance (costs:verify) — by
 * default those not verified yet, latest day first — each with its project, its receipts (the
 * drawer, where they are read) and 核验.
 */
export function CostsToVerifyPage() {
  const { t } = useTranslation();
  const me = useSession();
  const [verified, setVerified] = useState<Verified>('open');
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const [projectSearch, setProjectSearch] = useState('');
  const [openId, setOpenId] = useState<string | null>(null);
  const costs = useQuery(
    orgCostsQuery({ ...filters, verified: VERIFIED[verified], limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
  );
  const projects = useQuery(projectChoicesQuery(projectSearch));
  const mayVerify = hasPermission(me, PERMISSIONS.costsVerify);
  // Finance records costs on any project, so it may attach receipts to any.
  const mayWrite = hasPermission(me, PERMISSIONS.costsRecord) && mayVerify;
  const opened = costs.data?.items.find((c) => c.id === openId) ?? null;

  const filter = (change: Filters) => {
    setFilters((current) => ({ ...current, ...change }));
    setPage(1);
  };

  const shared = useCostColumns<OrgCost>({ mayVerify, onReceipts: setOpenId });
  const columns: ColumnsType<OrgCost> = [
    shared.date,
    {
      title: t('finance.toVerify.project'),
      key: 'project',
      render: (_, cost) => (
        <Link to={projectPath(cost.project_id, 'costs')} data-testid="org-cost-project">
          <Flex vertical>
            <span>{cost.project_code}</span>
            <Typography.Text type="secondary" ellipsis style={{ maxWidth: 220, fontSize: 12 }}>
              {cost.project_name}
            </Typography.Text>
          </Flex>
        </Link>
      ),
    },
    shared.category,
    shared.vendor,
    shared.kind,
    shared.amount,
    shared.receipts,
    shared.verified,
  ];

  const onDates = (dates: [Dayjs | null, Dayjs | null] | null) =>
    filter({
      incurred_from: dates?.[0]?.format('YYYY-MM-DD'),
      incurred_to: dates?.[1]?.format('YYYY-MM-DD'),
    });

  return (
    <>
      <PageHeader title={t('finance.toVerify.title')} subtitle={t('finance.toVerify.subtitle')} testId="costs-title" />
      <Card variant="borderless">
        <Flex vertical gap={12}>
          <Flex gap={8} wrap>
            <Segmented<Verified>
              value={verified}
              onChange={(value) => {
                setVerified(value);
                setPage(1);
              }}
              options={(['open', 'verified', 'all'] as const).map((v) => ({
                value: v,
                label: <span data-testid={`org-costs-verified-${v}`}>{t(`finance.toVerify.verified.${v}`)}</span>,
              }))}
            />
            <Select<string>
              allowClear
              showSearch
              filterOption={false}
              onSearch={setProjectSearch}
              style={{ width: 240 }}
              placeholder={t('finance.toVerify.project')}
              value={filters.project_id}
              onChange={(projectId) => filter({ project_id: projectId })}
              loading={projects.isFetching}
              options={(projects.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.code} ${p.name}` }))}
              data-testid="org-costs-filter-project"
            />
            <Select<CostKind>
              allowClear
              style={{ width: 120 }}
              placeholder={t('finance.ledger.kind')}
              value={filters.kind}
              onChange={(kind) => filter({ kind })}
              options={COST_KINDS.map((k) => ({ value: k, label: t(`finance.kind.${k}`) }))}
              data-testid="org-costs-filter-kind"
            />
            <Select<BudgetCategory>
              allowClear
              style={{ width: 140 }}
              placeholder={t('finance.categoryColumn')}
              value={filters.category}
              onChange={(category) => filter({ category })}
              options={CATEGORIES.map((c) => ({ value: c, label: t(`finance.category.${c}`) }))}
              data-testid="org-costs-filter-category"
            />
            <DatePicker.RangePicker allowEmpty={[true, true]} onChange={onDates} data-testid="org-costs-filter-dates" />
          </Flex>
          {costs.error ? (
            <ProblemAlert error={costs.error} onRetry={() => void costs.refetch()} />
          ) : (
            <Table<OrgCost>
              rowKey="id"
              size="small"
              loading={costs.isFetching && !costs.data}
              dataSource={costs.data?.items ?? []}
              columns={columns}
              scroll={{ x: 1080 }}
              locale={{
                emptyText: t(verified === 'open' ? 'finance.toVerify.emptyOpen' : 'finance.ledger.empty'),
              }}
              data-testid="org-costs-table"
              pagination={{
                current: page,
                pageSize: PAGE_SIZE,
                total: costs.data?.total ?? 0,
                showSizeChanger: false,
                showTotal: (total) => t('common.total', { total }),
                onChange: setPage,
              }}
            />
          )}
        </Flex>
      </Card>
      <CostDrawer cost={opened} mayVerify={mayVerify} mayWrite={mayWrite} onClose={() => setOpenId(null)} />
    </>
  );
}
