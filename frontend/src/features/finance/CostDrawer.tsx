import { CheckCircleFilled, PaperClipOutlined } from '@ant-design/icons';
import { App, Button, Descriptions, Divider, Drawer, Flex, Popconfirm, Tag, theme, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { SubjectDiscussion } from '@/lib/collab';
import { errorText } from '@/lib/errorText';
import { formatDateTime, formatDay, formatDecimal, formatMoney } from '@/lib/format';
import { projectPath } from '@/lib/paths';
import { useSession } from '@/lib/session';
import type { Cost } from './api';
import { useDisplayLocale } from './hooks';
import { useRefreshReceiptCounts, useVerifyAnyCost, type OrgCost } from './ledgerApi';

/** A cost as a ledger lists it: the project's own, or the organisation's (with its project named). */
export type LedgerCost = Cost | OrgCost;

export interface CostDrawerProps {
  /** The cost whose drawer is open (null: closed). */
  cost: LedgerCost | null;
  /** The project's currency, when the ledger knows it (the organisation's list does not). */
  projectCurrency?: string;
  /** The cost's budget line and phase by name, as the ledger knows them. */
  lineName?: string | null;
  phaseName?: string | null;
  /** 核验: finance (costs:verify) on a cost not yet verified. */
  mayVerify: boolean;
  /** Attaching receipts and commenting: who may record costs on the cost's project. */
  mayWrite: boolean;
  onClose: () => void;
}

/** The amount in its currency and, converted at the cost's rate, in the project's. */
export function CostAmount({ cost, projectCurrency }: { cost: LedgerCost; projectCurrency?: string }) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const own = formatMoney(cost.amount, cost.currency, locale);
  if (cost.currency === projectCurrency || (!projectCurrency && cost.rate === '1')) return <>{own}</>;
  const converted = projectCurrency
    ? formatMoney(cost.amount_project, projectCurrency, locale)
    : formatDecimal(cost.amount_project, locale, 2);
  return (
    <Flex vertical align="end">
      <span>{own}</span>
      <Tooltip
        title={
          projectCurrency
            ? t('finance.ledger.rate', {
                currency: cost.currency,
                rate: formatDecimal(cost.rate, locale, 6),
                project: projectCurrency,
              })
            : t('finance.receipts.rate', { currency: cost.currency, rate: formatDecimal(cost.rate, locale, 6) })
        }
      >
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="cost-amount-project">
          {projectCurrency ? `≈ ${converted}` : t('finance.receipts.converted', { amount: converted })}
        </Typography.Text>
      </Tooltip>
    </Flex>
  );
}

/** 核验 with its confirmation, or the verified tag with when it was verified. */
export function VerifyControl({ cost, mayVerify }: { cost: LedgerCost; mayVerify: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useSession();
  const verify = useVerifyAnyCost();
  if (cost.verified_at) {
    return (
      <Tooltip title={formatDateTime(cost.verified_at, me.org.timezone)}>
        <Tag color="green" icon={<CheckCircleFilled />} data-testid="cost-verified">
          {t('finance.ledger.isVerified')}
        </Tag>
      </Tooltip>
    );
  }
  if (!mayVerify) return <Typography.Text type="secondary">{t('finance.ledger.unverified')}</Typography.Text>;
  return (
    <Popconfirm
      title={t('finance.ledger.verifyConfirm')}
      okText={t('finance.ledger.verify')}
      cancelText={t('common.cancel')}
      onConfirm={() =>
        verify.mutate(cost, {
          onSuccess: () => void message.success(t('finance.ledger.verifiedDone')),
          onError: (error) => void message.error(errorText(error, t)),
        })
      }
    >
      <Button size="small" loading={verify.isPending} data-testid="cost-verify">
        {t('finance.ledger.verify')}
      </Button>
    </Popconfirm>
  );
}

/** The paperclip with the cost's receipts' count: opens the cost's drawer. */
export function ReceiptsButton({ count, onClick }: { count: number; onClick: () => void }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  return (
    <Tooltip title={t('finance.receipts.open', { count })}>
      <Button
        size="small"
        type="text"
        icon={<PaperClipOutlined />}
        onClick={onClick}
        aria-label={t('finance.receipts.open', { count })}
        data-testid="cost-receipts"
        style={count === 0 ? { color: token.colorTextQuaternary } : undefined}
      >
        {count}
      </Button>
    </Tooltip>
  );
}

/**
 * One cost's details with its receipts and comments (the discussion of subject `cost`): files
 * attached here are the cost's receipts, which finance checks before 核验.
 */
export function CostDrawer({
  cost,
  projectCurrency,
  lineName,
  phaseName,
  mayVerify,
  mayWrite,
  onClose,
}: CostDrawerProps) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const refreshCounts = useRefreshReceiptCounts();
  const close = () => {
    // Receipts attached or removed here change the count the ledger shows.
    void refreshCounts();
    onClose();
  };
  const items: { key: string; label: string; children: ReactNode }[] = [];
  if (cost && 'project_code' in cost) {
    items.push({
      key: 'project',
      label: t('finance.receipts.project'),
      children: (
        <Link to={projectPath(cost.project_id, 'costs')} data-testid="cost-drawer-project">
          {cost.project_code} {cost.project_name}
        </Link>
      ),
    });
  }
  if (cost) {
    items.push(
      { key: 'date', label: t('finance.ledger.date'), children: formatDay(cost.incurred_on, locale) },
      {
        key: 'kind',
        label: t('finance.ledger.kind'),
        children: (
          <Flex gap={4} wrap>
            <Tag color={cost.kind === 'actual' ? 'blue' : 'purple'}>{t(`finance.kind.${cost.kind}`)}</Tag>
            {cost.source === 'import' ? <Tag bordered={false}>{t('finance.ledger.imported')}</Tag> : null}
          </Flex>
        ),
      },
      { key: 'category', label: t('finance.categoryColumn'), children: t(`finance.category.${cost.category}`) },
    );
    if (lineName !== undefined) {
      items.push({ key: 'line', label: t('finance.line'), children: lineName ?? t('finance.budget.unbudgetedRow') });
    }
    if (phaseName !== undefined) {
      items.push({ key: 'phase', label: t('finance.budget.phase'), children: phaseName ?? '—' });
    }
    items.push(
      { key: 'vendor', label: t('finance.record.fields.vendor'), children: cost.vendor ?? '—' },
      {
        key: 'amount',
        label: t('finance.ledger.amount'),
        children: (
          <Flex>
            <CostAmount cost={cost} projectCurrency={projectCurrency} />
          </Flex>
        ),
      },
      {
        key: 'description',
        label: t('finance.record.fields.description'),
        children: cost.description ? (
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{cost.description}</Typography.Paragraph>
        ) : (
          '—'
        ),
      },
      {
        key: 'verified',
        label: t('finance.ledger.verified'),
        children: <VerifyControl cost={cost} mayVerify={mayVerify} />,
      },
    );
  }
  return (
    <Drawer
      open={cost !== null}
      onClose={close}
      width={560}
      destroyOnHidden
      title={t('finance.receipts.title')}
      data-testid="cost-drawer"
    >
      {cost ? (
        <Flex vertical gap={12}>
          <Descriptions column={1} size="small" bordered items={items} data-testid="cost-drawer-details" />
          <Divider style={{ margin: 0 }} orientation="left" plain>
            {t('finance.receipts.discussion')}
          </Divider>
          <Typography.Text type="secondary">{t('finance.receipts.hint')}</Typography.Text>
          <SubjectDiscussion subjectType="cost" subjectId={cost.id} canWrite={mayWrite} />
        </Flex>
      ) : null}
    </Drawer>
  );
}
