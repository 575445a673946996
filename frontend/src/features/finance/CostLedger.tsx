import { DatePicker, Flex, Select, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useQuery } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '@/components/ProblemAlert';
import type { ProjectFinanceProps } from '@/lib/financePanels';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import { budgetSummaryQuery, costsQuery, type BudgetCategory, type Cost, type CostFilters, type CostKind } from './api';
import { CATEGORIES, COST_KINDS } from './model';
import { CostDrawer } from './CostDrawer';
import { useCostColumns } from './costColumns';
import { ImportCostsButton } from './CostImportModal';
import { RecordCostButton } from './RecordCostModal';
import { useRecordRight } from './rights';

const PAGE_SIZE = 20;

type Filters = Omit<CostFilters, 'limit' | 'offset'>;

/**
 * The project's cost ledger (成本台账): every entry, filtered, with recording one, importing a
 * spreadsheet, each entry's receipts (its drawer) and verifying.
 */
export function CostLedger({ project, mayManage }: ProjectFinanceProps) {
  const { t } = useTranslation();
  const me = useSession();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const summary = useQuery(budgetSummaryQuery(project.id));
  const costs = useQuery(costsQuery(project.id, { ...filters, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }));
  const mayVerify = hasPermission(me, PERMISSIONS.costsVerify);
  const mayWrite = useRecordRight(project, mayManage).visible;
  // The drawer follows the listed entry, so a verification or a new receipt shows in it.
  const [openId, setOpenId] = useState<string | null>(null);
  const opened = costs.data?.items.find((c) => c.id === openId) ?? null;
  const lines = summary.data?.lines ?? [];
  const lineName = new Map(lines.map((l) => [l.id, l.name]));
  const phaseName = new Map(project.phases.map((p) => [p.id, p.name]));

  const filter = (change: Filters) => {
    setFilters((current) => ({ ...current, ...change }));
    setPage(1);
  };

  const shared = useCostColumns<Cost>({ mayVerify, onReceipts: setOpenId, projectCurrency: project.currency });
  const columns: ColumnsType<Cost> = [
    shared.date,
    shared.category,
    {
      title: t('finance.line'),
      dataIndex: 'line_id',
      render: (lineId: string | null) =>
        lineId ? (
          (lineName.get(lineId) ?? '—')
        ) : (
          <Typography.Text type="secondary">{t('finance.budget.unbudgetedRow')}</Typography.Text>
        ),
    },
    {
      title: t('finance.budget.phase'),
      dataIndex: 'phase_id',
      render: (phaseId: string | null) => (phaseId ? (phaseName.get(phaseId) ?? '—') : '—'),
    },
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
    <Flex vertical gap={12} data-testid="cost-ledger">
      <Flex justify="space-between" gap={8} wrap>
        <Flex gap={8} wrap>
          <Select<CostKind>
            allowClear
            style={{ width: 120 }}
            placeholder={t('finance.ledger.kind')}
            value={filters.kind}
            onChange={(kind) => filter({ kind })}
            options={COST_KINDS.map((k) => ({ value: k, label: t(`finance.kind.${k}`) }))}
            data-testid="cost-filter-kind"
          />
          <Select<BudgetCategory>
            allowClear
            style={{ width: 140 }}
            placeholder={t('finance.categoryColumn')}
            value={filters.category}
            onChange={(category) => filter({ category })}
            options={CATEGORIES.map((c) => ({ value: c, label: t(`finance.category.${c}`) }))}
            data-testid="cost-filter-category"
          />
          <Select<string>
            allowClear
            showSearch
            optionFilterProp="label"
            style={{ width: 180 }}
            placeholder={t('finance.line')}
            value={filters.line_id}
            onChange={(lineId) => filter({ line_id: lineId })}
            options={lines.map((l) => ({ value: l.id, label: l.name }))}
            data-testid="cost-filter-line"
          />
          <DatePicker.RangePicker allowEmpty={[true, true]} onChange={onDates} data-testid="cost-filter-dates" />
        </Flex>
        <Flex gap={8} wrap>
          <ImportCostsButton project={project} mayManage={mayManage} summary={summary.data} />
          <RecordCostButton project={project} mayManage={mayManage} summary={summary.data} />
        </Flex>
      </Flex>
      {costs.error ? (
        <ProblemAlert error={costs.error} onRetry={() => void costs.refetch()} />
      ) : (
        <Table<Cost>
          rowKey="id"
          size="small"
          loading={costs.isFetching && !costs.data}
          dataSource={costs.data?.items ?? []}
          columns={columns}
          scroll={{ x: 1040 }}
          locale={{ emptyText: t('finance.ledger.empty') }}
          data-testid="cost-table"
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
      <CostDrawer
        cost={opened}
        projectCurrency={project.currency}
        lineName={opened?.line_id ? (lineName.get(opened.line_id) ?? null) : null}
        phaseName={opened?.phase_id ? (phaseName.get(opened.phase_id) ?? null) : null}
        mayVerify={mayVerify}
        mayWrite={mayWrite}
        onClose={() => setOpenId(null)}
      />
    </Flex>
  );
}
