import { useQuery } from '@tanstack/react-query';
import { Descriptions, Flex, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ProblemAlert } from '@/components/ProblemAlert';
import type { BudgetRequestFactsProps } from '@/lib/financePanels';
import { formatMoney } from '@/lib/format';
import { projectPath } from '@/lib/paths';
import { BudgetRequestItems, ChangeText } from './BudgetRequestItems';
import { useDisplayLocale } from './hooks';
import { budgetRequestQuery, requestProjectQuery } from './requestsApi';

/**
 * What an approver of a budget request decides on: the project (a link to its budget tab), the
 * reason, each line's approved amount before → after with the change, and the totals — the
 * money added is what the flow's amount steps weigh.
 */
export function BudgetRequestFacts({ budgetRequestId }: BudgetRequestFactsProps) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const request = useQuery(budgetRequestQuery(budgetRequestId));
  const projectId = request.data?.project_id ?? '';
  const project = useQuery({ ...requestProjectQuery(projectId), enabled: !!projectId });
  if (request.error) return <ProblemAlert error={request.error} onRetry={() => void request.refetch()} />;
  if (!request.data) return <Skeleton active />;
  const r = request.data;
  const p = project.data;
  const currency = p?.currency ?? 'CNY';
  const money = (amount: string) => formatMoney(amount, currency, locale);
  return (
    <div data-testid="approval-budget-request">
      <Typography.Title level={5}>{t(`finance.requests.kind.${r.kind}`)}</Typography.Title>
      <Flex vertical gap={12}>
        <Descriptions column={1} size="small" bordered>
          <Descriptions.Item label={t('finance.requests.project')}>
            <Link to={projectPath(r.project_id, 'budget')} data-testid="approval-budget-project">
              {p ? `${p.code} ${p.name}` : t('finance.requests.openProject')}
            </Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('finance.requests.reason')}>
            <Typography.Paragraph
              style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}
              data-testid="approval-budget-reason"
            >
              {r.reason}
            </Typography.Paragraph>
          </Descriptions.Item>
          <Descriptions.Item label={t('finance.requests.budgetChange')}>
            <Flex gap={8} align="center" wrap data-testid="approval-budget-totals">
              <span>{money(r.total_before)}</span>
              <span>→</span>
              <Typography.Text strong>{money(r.total_after)}</Typography.Text>
            </Flex>
          </Descriptions.Item>
          <Descriptions.Item label={t('finance.requests.added')}>
            <Flex gap={8} align="center" wrap>
              <ChangeText change={r.amount} currency={currency} locale={locale} testId="approval-budget-added" />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('finance.requests.addedHint')}
              </Typography.Text>
            </Flex>
          </Descriptions.Item>
        </Descriptions>
        <BudgetRequestItems request={r} currency={currency} phases={p?.phases ?? []} testId="approval-budget-items" />
      </Flex>
    </div>
  );
}
