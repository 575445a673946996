import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ProblemAlert } from '@/components/ProblemAlert';
import { PageHeader } from '@/components/PageHeader';
import { SubjectDiscussion } from '@/lib/collab';
import { formatDay } from '@/lib/format';
import { paths, projectPath } from '@/lib/paths';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import { CostAmount } from './CostDrawer';
import { useDisplayLocale } from './hooks';
import { costQuery } from './ledgerApi';

/**
 * One cost by its id (where a link to it lands, e.g. a mention in its discussion): what it
 * is, the project it belongs to (its ledger one click away), and its receipts and comments.
 * The API answers 404 / 403 for a cost the reader may not see.
 */
export function CostDiscussionPage() {
  const { t } = useTranslation();
  const me = useSession();
  const locale = useDisplayLocale();
  const { costId = '' } = useParams();
  const cost = useQuery(costQuery(costId));
  const isFinance = hasPermission(me, PERMISSIONS.costsVerify);
  const c = cost.data;
  return (
    <>
      <PageHeader
        title={t('finance.receipts.pageTitle')}
        subtitle={t('finance.receipts.pageHint')}
        testId="cost-discussion-title"
        extra={
          isFinance ? (
            <Link to={paths.modules.costsToVerify}>
              <Button data-testid="cost-discussion-to-list">{t('finance.receipts.toList')}</Button>
            </Link>
          ) : null
        }
      />
      {cost.error ? <ProblemAlert error={cost.error} /> : null}
      {c ? (
        <Card variant="borderless" style={{ marginBottom: 16 }} data-testid="cost-facts">
          <Descriptions column={{ xs: 1, md: 2 }} size="small">
            <Descriptions.Item label={t('finance.receipts.project')}>
              <Link to={projectPath(c.project_id, 'costs')} data-testid="cost-project-link">
                {c.project_code} {c.project_name}
              </Link>
            </Descriptions.Item>
            <Descriptions.Item label={t('finance.record.fields.amount')}>
              <CostAmount cost={c} />
            </Descriptions.Item>
            <Descriptions.Item label={t('finance.record.fields.incurred_on')}>
              {formatDay(c.incurred_on, locale)}
            </Descriptions.Item>
            <Descriptions.Item label={t('finance.record.fields.kind')}>
              <Tag>{t(`finance.kind.${c.kind}`)}</Tag>
              {c.verified_at ? <Tag color="green">{t('finance.ledger.isVerified')}</Tag> : null}
            </Descriptions.Item>
            {c.vendor ? (
              <Descriptions.Item label={t('finance.record.fields.vendor')}>{c.vendor}</Descriptions.Item>
            ) : null}
            {c.description ? (
              <Descriptions.Item label={t('finance.record.fields.description')}>{c.description}</Descriptions.Item>
            ) : null}
          </Descriptions>
        </Card>
      ) : null}
      <Card variant="borderless">
        <Flex vertical gap={8}>
          <Typography.Text type="secondary">{t('finance.receipts.hint')}</Typography.Text>
          <SubjectDiscussion
            subjectType="cost"
            subjectId={costId}
            canWrite={hasPermission(me, PERMISSIONS.costsRecord)}
          />
        </Flex>
      </Card>
    </>
  );
}
