import { Flex, Tag, Typography } from 'antd';
import type { ColumnType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { formatDay } from '@/lib/format';
import type { BudgetCategory, CostKind } from './api';
import { CostAmount, ReceiptsButton, VerifyControl, type LedgerCost } from './CostDrawer';
import { useDisplayLocale } from './hooks';

interface CostColumnsOptions {
  mayVerify: boolean;
  /** Opens a cost's drawer (its receipts). */
  onReceipts: (costId: string) => void;
  /** The project's currency, when the list is one project's (amounts in others show both). */
  projectCurrency?: string;
}

/**
 * The columns a list of costs shares, whether one project's ledger (成本台账) or the
 * organisation's costs to verify (待核验成本): each list puts its own among them.
 */
export function useCostColumns<C extends LedgerCost>({ mayVerify, onReceipts, projectCurrency }: CostColumnsOptions) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const date: ColumnType<C> = {
    title: t('finance.ledger.date'),
    dataIndex: 'incurred_on',
    width: 130,
    render: (day: string) => formatDay(day, locale),
  };
  const category: ColumnType<C> = {
    title: t('finance.categoryColumn'),
    dataIndex: 'category',
    render: (value: BudgetCategory) => t(`finance.category.${value}`),
  };
  const vendor: ColumnType<C> = {
    title: t('finance.ledger.vendor'),
    dataIndex: 'vendor',
    render: (value: string | null, cost) => (
      <Flex vertical>
        <span>{value ?? '—'}</span>
        {cost.description ? (
          <Typography.Text type="secondary" ellipsis={{ tooltip: cost.description }} style={{ maxWidth: 220 }}>
            {cost.description}
          </Typography.Text>
        ) : null}
      </Flex>
    ),
  };
  const kind: ColumnType<C> = {
    title: t('finance.ledger.kind'),
    dataIndex: 'kind',
    render: (value: CostKind, cost) => (
      <Flex gap={4} wrap>
        <Tag color={value === 'actual' ? 'blue' : 'purple'} data-testid="cost-kind-tag">
          {t(`finance.kind.${value}`)}
        </Tag>
        {cost.source === 'import' ? <Tag bordered={false}>{t('finance.ledger.imported')}</Tag> : null}
      </Flex>
    ),
  };
  const amount: ColumnType<C> = {
    title: t('finance.ledger.amount'),
    key: 'amount',
    align: 'right',
    render: (_, cost) => <CostAmount cost={cost} projectCurrency={projectCurrency} />,
  };
  const receipts: ColumnType<C> = {
    title: t('finance.receipts.column'),
    key: 'receipts',
    width: 80,
    align: 'center',
    render: (_, cost) => <ReceiptsButton count={cost.receipt_count} onClick={() => onReceipts(cost.id)} />,
  };
  const verified: ColumnType<C> = {
    title: t('finance.ledger.verified'),
    key: 'verified',
    width: 120,
    render: (_, cost) => <VerifyControl cost={cost} mayVerify={mayVerify} />,
  };
  return { date, category, vendor, kind, amount, receipts, verified };
}
