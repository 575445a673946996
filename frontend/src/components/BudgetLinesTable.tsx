import { Table, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney, type DisplayLocale } from '@/lib/format';

export interface BudgetLine {
  category: string;
  planned_amount: string;
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
      rowKey="category"
      size="small"
      pagination={false}
      dataSource={[...lines]}
      data-testid={testId}
      title={title === undefined ? undefined : () => title}
      locale={{ emptyText }}
      columns={[
        { title: t('projects.detail.category'), dataIndex: 'category' },
        {
          title: t('projects.detail.planned'),
          dataIndex: 'planned_amount',
          align: 'right',
          render: (amount: string) => formatMoney(amount, currency, locale),
        },
      ]}
      summary={() => (
        <Table.Summary.Row>
          <Table.Summary.Cell index={0}>
            <Typography.Text strong>{t('projects.detail.totalBudget')}</Typography.Text>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={1} align="right">
            <Typography.Text strong>{formatMoney(total, currency, locale)}</Typography.Text>
          </Table.Summary.Cell>
        </Table.Summary.Row>
      )}
    />
  );
}
