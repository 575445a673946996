import { Table, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney, type DisplayLocale } from '@/lib/format';

export interface BudgetLine {
  id: string;
  /** the project's own name for the line, e.g. 展位费 */
  name: string;
  category: 'venue' | 'travel' | 'materials' | 'ad_spend' | 'vendors' | 'labour' | 'other';
  amount: string;
  state: 'plan' | 'approved';
}

/** A project's budget lines with their total: the project page and the approval drawer. */
export function BudgetLinesTable({
  lines,
  currency,
  total,
  testId,
  title,
  emptyText,
}: {
  lines: readonly BudgetLine[];
  currency: string;
  total: string;
  testId: string;
  title?: ReactNode;
  emptyText: string;
}) {
  const { t, i18n } = useTranslation();
  const locale: DisplayLocale = i18n.language === 'en' ? 'en' : 'zh-CN';
  return (
    <Table<BudgetLine>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={[...lines]}
      data-testid={testId}
      title={title === undefined ? undefined : () => title}
      locale={{ emptyText }}
      columns={[
        { title: t('finance.line'), dataIndex: 'name' },
        {
          title: t('finance.categoryColumn'),
          dataIndex: 'category',
          render: (category: BudgetLine['category']) => t(`finance.category.${category}`),
        },
        {
          title: t('finance.stateColumn'),
          dataIndex: 'state',
          render: (state: BudgetLine['state']) => (
            <Tag color={state === 'approved' ? 'green' : 'default'}>{t(`finance.lineState.${state}`)}</Tag>
          ),
        },
        {
          title: t('projects.detail.planned'),
          dataIndex: 'amount',
          align: 'right',
          render: (amount: string) => formatMoney(amount, currency, locale),
        },
      ]}
      summary={() => (
        <Table.Summary.Row>
          <Table.Summary.Cell index={0}>
            <Typography.Text strong>{t('projects.detail.totalBudget')}</Typography.Text>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={1} colSpan={3} align="right">
            <Typography.Text strong>{formatMoney(total, currency, locale)}</Typography.Text>
          </Table.Summary.Cell>
        </Table.Summary.Row>
      )}
    />
  );
}
