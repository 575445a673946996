import { PaperClipOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Badge, Card, Flex, List, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '@/components/EmptyState';
import { ProblemAlert } from '@/components/ProblemAlert';
import { formatDay, formatMoney, type DisplayLocale } from '@/lib/format';
import { projectPath } from '@/lib/paths';
import { costsToVerifyQuery, type CostToVerify } from './api';

/**
 * 待核验成本: the organisation's costs finance has not checked against their receipts yet,
 * latest day first, each linking to its project's cost ledger, where it is verified.
 */
export function CostsToVerifyCard() {
  const { t, i18n } = useTranslation();
  const locale: DisplayLocale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const query = useQuery(costsToVerifyQuery);
  const total = query.data?.total ?? 0;
  return (
    <Card
      variant="borderless"
      style={{ height: '100%' }}
      data-testid="panel-costs-to-verify"
      title={
        <Flex align="center" gap={8}>
          {t('home.toVerify.title')}
          <Badge count={total} showZero color={total > 0 ? undefined : '#bfbfbf'} data-testid="panel-to-verify-count" />
        </Flex>
      }
    >
      {query.error ? <ProblemAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      <List
        loading={query.isPending}
        dataSource={query.data?.items ?? []}
        locale={{ emptyText: <EmptyState compact description={t('home.toVerify.empty')} /> }}
        renderItem={(cost) => <CostRow cost={cost} locale={locale} />}
      />
    </Card>
  );
}

function CostRow({ cost, locale }: { cost: CostToVerify; locale: DisplayLocale }) {
  const { t } = useTranslation();
  return (
    <List.Item data-testid="to-verify-cost">
      <List.Item.Meta
        title={
          <Link to={projectPath(cost.project_id, 'costs')} data-testid="to-verify-link">
            {cost.project_code} {cost.project_name}
          </Link>
        }
        description={
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {formatDay(cost.incurred_on, locale)} · {t(`finance.category.${cost.category}`)}
            {cost.vendor ? ` · ${cost.vendor}` : ''}
          </Typography.Text>
        }
      />
      <Flex vertical align="end" gap={2}>
        <Typography.Text strong data-testid="to-verify-amount">
          {formatMoney(cost.amount, cost.currency, locale)}
        </Typography.Text>
        <Flex gap={4}>
          <Tag bordered={false} style={{ marginInlineEnd: 0 }}>
            {t(`finance.kind.${cost.kind}`)}
          </Tag>
          {cost.receipt_count > 0 ? (
            <Tag bordered={false} icon={<PaperClipOutlined />} style={{ marginInlineEnd: 0 }}>
              {cost.receipt_count}
            </Tag>
          ) : (
            <Tag color="warning" bordered={false} style={{ marginInlineEnd: 0 }} data-testid="to-verify-no-receipt">
              {t('home.toVerify.noReceipt')}
            </Tag>
          )}
        </Flex>
      </Flex>
    </List.Item>
  );
}
