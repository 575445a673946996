import { Flex, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { formatMoney, type DisplayLocale } from '@/lib/format';
import { useDisplayLocale } from './hooks';
import { isNegative, toCents } from './model';
import { itemChange, type BudgetRequest, type BudgetRequestItem } from './requestModel';

/** A change as the request shows it: +¥10,000.00 for a rise, −¥5,000.00 for a cut, — for none. */
export function ChangeText({
  change,
  currency,
  locale,
  testId,
}: {
  change: string | null;
  currency: string;
  locale: DisplayLocale;
  testId?: string;
}) {
  if (change === null || toCents(change) === 0n) {
    return (
      <Typography.Text type="secondary" data-testid={testId}>
        —
      </Typography.Text>
    );
  }
  const negative = isNegative(change);
  return (
    <Typography.Text type={negative ? 'success' : 'warning'} strong data-testid={testId}>
      {negative ? '−' : '+'}
      {formatMoney(change.replace(/^-/, ''), currency, locale)}
    </Typography.Text>
  );
}

interface BudgetRequestItemsProps {
  request: Pick<BudgetRequest, 'items' | 'total_before' | 'total_after' | 'amount'>;
  currency: string;
  /** The project's phases, to name an item's phase (unknown ids show as —). */
  phases: readonly { id: string; name: string }[];
  testId?: string;
}

/** What a budget request sets, line by line: the approved amount before → after and the change. */
export function BudgetRequestItems({ request, currency, phases, testId = 'request-items' }: BudgetRequestItemsProps) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const money = (amount: string) => formatMoney(amount, currency, locale);
  const columns: ColumnsType<BudgetRequestItem> = [
    {
      title: t('finance.line'),
      key: 'name',
      render: (_, item) => (
        <Flex gap={4} align="center" wrap>
          <span>{item.name}</span>
          <Tag bordered={false}>{t(`finance.category.${item.category}`)}</Tag>
          {item.line_id === null ? <Tag color="blue">{t('finance.requests.newLine')}</Tag> : null}
        </Flex>
      ),
    },
    {
      title: t('finance.budget.phase'),
      key: 'phase',
      render: (_, item) =>
        item.phase_id ? (phases.find((p) => p.id === item.phase_id)?.name ?? '—') : t('finance.budget.noPhase'),
    },
    { title: t('finance.requests.itemBefore'), key: 'before', align: 'right', render: (_, i) => money(i.before) },
    {
      title: t('finance.requests.itemAfter'),
      key: 'after',
      align: 'right',
      render: (_, i) => <Typography.Text strong>{money(i.after)}</Typography.Text>,
    },
    {
      title: t('finance.requests.change'),
      key: 'change',
      align: 'right',
      render: (_, i) => <ChangeText change={itemChange(i)} currency={currency} locale={locale} />,
    },
  ];
  return (
    <Table<BudgetRequestItem>
      rowKey={(item) => item.line_id ?? `new:${item.name}`}
      size="small"
      pagination={false}
      dataSource={request.items}
      columns={columns}
      data-testid={testId}
      scroll={{ x: 640 }}
      summary={() => (
        <Table.Summary.Row>
          <Table.Summary.Cell index={0} colSpan={2}>
            <Typography.Text strong>{t('finance.requests.total')}</Typography.Text>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={2} align="right">
            <span data-testid={`${testId}-before`}>{money(request.total_before)}</span>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={3} align="right">
            <Typography.Text strong data-testid={`${testId}-after`}>
              {money(request.total_after)}
            </Typography.Text>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={4} align="right">
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('finance.requests.addedShort')}{' '}
            </Typography.Text>
            <ChangeText change={request.amount} currency={currency} locale={locale} testId={`${testId}-added`} />
          </Table.Summary.Cell>
        </Table.Summary.Row>
      )}
    />
  );
}
