import { Alert, Card, Col, Flex, Row, Skeleton, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '@/components/ProblemAlert';
import type { ProjectFinanceProps } from '@/lib/financePanels';
import { formatDecimal, formatMoney, type DisplayLocale } from '@/lib/format';
import { budgetSummaryQuery, type BudgetSummary, type Forecast } from './api';
import { BudgetRequestButton, BudgetRequests } from './BudgetRequests';
import { useDisplayLocale } from './hooks';
import { LevelBar } from './LevelBar';
import { CATEGORY_COLORS, groupLines, isNegative, isZero, LEVEL_COLORS, LEVEL_TAG_COLORS, type LineRow } from './model';
import { RecordCostButton } from './RecordCostModal';
import { ShareDonut } from './ShareDonut';
import { ThresholdsButton } from './ThresholdsEditor';

type Project = ProjectFinanceProps['project'];

/** The project's 预算 tab: its budget against what is spent and promised, and where it is heading. */
export function BudgetPanel({ project, mayManage }: ProjectFinanceProps) {
  const summary = useQuery(budgetSummaryQuery(project.id));
  if (summary.error) return <ProblemAlert error={summary.error} onRetry={() => void summary.refetch()} />;
  if (!summary.data) return <Skeleton active />;
  const s = summary.data;
  return (
    <Flex vertical gap={16} data-testid="budget-panel">
      <Headline
        summary={s}
        action={
          <Flex gap={8} wrap>
            <ThresholdsButton project={project} mayManage={mayManage} summary={s} />
            <BudgetRequestButton project={project} mayManage={mayManage} summary={s} />
            <RecordCostButton project={project} mayManage={mayManage} summary={s} />
          </Flex>
        }
      />
      <Unbudgeted summary={s} />
      <LinesTable summary={s} project={project} />
      <BudgetRequests project={project} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <CategoryShares summary={s} />
        </Col>
        <Col xs={24} xl={12}>
          <PhaseShares summary={s} project={project} />
        </Col>
      </Row>
      <ForecastCard summary={s} />
    </Flex>
  );
}

function money(amount: string | null | undefined, summary: BudgetSummary, locale: DisplayLocale) {
  return formatMoney(amount, summary.currency, locale);
}

function Headline({ summary, action }: { summary: BudgetSummary; action: React.ReactNode }) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const p = summary.project;
  const th = summary.thresholds;
  return (
    <Flex vertical gap={8}>
      <Row gutter={[16, 16]} data-testid="budget-headline">
        <Col xs={12} lg={6}>
          <Card size="small" variant="outlined">
            <Statistic title={t('finance.budget.budget')} value={money(p.budget, summary, locale)} />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card size="small" variant="outlined">
            <Statistic
              title={t('finance.budget.usedTitle')}
              value={money(p.used, summary, locale)}
              data-testid="budget-used"
            />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('finance.budget.usedSplit', {
                actual: money(p.actual, summary, locale),
                committed: money(p.committed, summary, locale),
              })}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card size="small" variant="outlined">
            <Statistic
              title={t('finance.budget.remaining')}
              value={money(p.remaining, summary, locale)}
              valueStyle={isNegative(p.remaining) ? { color: LEVEL_COLORS.critical } : undefined}
              data-testid="budget-remaining"
            />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card size="small" variant="outlined">
            <Statistic
              title={t('finance.budget.usedPercent')}
              value={p.used_percent === null ? '—' : `${formatDecimal(p.used_percent, locale, 1)}%`}
              valueStyle={p.level === 'ok' ? undefined : { color: LEVEL_COLORS[p.level] }}
              suffix={
                <Tag color={LEVEL_TAG_COLORS[p.level]} style={{ marginInlineStart: 8 }} data-testid="budget-level">
                  {t(`finance.level.${p.level}`)}
                </Tag>
              }
            />
          </Card>
        </Col>
      </Row>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Text type="secondary" data-testid="budget-thresholds">
          {t('finance.budget.thresholds', {
            warn: formatDecimal(th.warn_percent, locale, 1),
            critical: formatDecimal(th.critical_percent, locale, 1),
            source: t(`finance.budget.thresholdSource.${th.source}`, { defaultValue: th.source }),
          })}
        </Typography.Text>
        {action}
      </Flex>
    </Flex>
  );
}

function Unbudgeted({ summary }: { summary: BudgetSummary }) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const u = summary.unbudgeted;
  if (isZero(u.used)) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="budget-unbudgeted"
      message={t('finance.budget.unbudgeted', { amount: money(u.used, summary, locale), count: u.entries })}
    />
  );
}

function phaseName(phaseId: string | null | undefined, project: Project, t: (k: string) => string): string {
  if (!phaseId) return t('finance.budget.noPhase');
  return project.phases.find((p) => p.id === phaseId)?.name ?? '—';
}

function LinesTable({ summary, project }: { summary: BudgetSummary; project: Project }) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const rows = groupLines(summary);
  const planned = new Map(project.budget_lines.map((l) => [l.id, l.amount]));
  const th = summary.thresholds;
  const columns: ColumnsType<LineRow> = [
    {
      title: t('finance.line'),
      key: 'name',
      render: (_, row) => {
        if (row.kind === 'category') {
          return <Typography.Text strong>{t(`finance.category.${row.category}`)}</Typography.Text>;
        }
        if (row.kind === 'unbudgeted') {
          return <Typography.Text type="secondary">{t('finance.budget.unbudgetedRow')}</Typography.Text>;
        }
        return (
          <Flex gap={6} align="center" wrap>
            <span>{row.name}</span>
            {row.state === 'plan' ? (
              <Tag bordered={false}>
                {t('finance.budget.pendingApproval', { amount: money(planned.get(row.key) ?? null, summary, locale) })}
              </Tag>
            ) : null}
          </Flex>
        );
      },
    },
    {
      title: t('finance.budget.phase'),
      key: 'phase',
      render: (_, row) => (row.kind === 'line' ? phaseName(row.phaseId, project, t) : null),
    },
    {
      title: t('finance.budget.budget'),
      key: 'budget',
      align: 'right',
      render: (_, row) => (row.kind === 'unbudgeted' ? '—' : money(row.figures.budget, summary, locale)),
    },
    {
      title: t('finance.budget.used'),
      key: 'used',
      align: 'right',
      render: (_, row) => (
        <Flex vertical align="end">
          <span>{money(row.figures.used, summary, locale)}</span>
          {isZero(row.figures.committed) ? null : (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('finance.budget.committedPart', { amount: money(row.figures.committed, summary, locale) })}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      title: t('finance.budget.remaining'),
      key: 'remaining',
      align: 'right',
      render: (_, row) =>
        row.kind === 'unbudgeted' ? (
          '—'
        ) : (
          <Typography.Text type={isNegative(row.figures.remaining) ? 'danger' : undefined}>
            {money(row.figures.remaining, summary, locale)}
          </Typography.Text>
        ),
    },
    {
      title: t('finance.budget.progress'),
      key: 'bar',
      width: 240,
      render: (_, row) =>
        row.kind === 'unbudgeted' ? null : (
          <LevelBar
            figures={row.figures}
            warnPercent={th.warn_percent}
            criticalPercent={th.critical_percent}
            testId={row.kind === 'line' ? `line-bar-${row.key}` : `category-bar-${row.category}`}
          />
        ),
    },
  ];
  return (
    <Card size="small" title={t('finance.budget.lines')}>
      <Table<LineRow>
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={rows}
        columns={columns}
        expandable={{ defaultExpandAllRows: true, expandRowByClick: false }}
        locale={{ emptyText: t('finance.budget.noLines') }}
        scroll={{ x: 860 }}
        data-testid="budget-lines"
        summary={() =>
          rows.length > 0 ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={2}>
                <Typography.Text strong>{t('finance.budget.total')}</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">
                <Typography.Text strong>{money(summary.project.budget, summary, locale)}</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">
                <Typography.Text strong>{money(summary.project.used, summary, locale)}</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right">
                <Typography.Text strong type={isNegative(summary.project.remaining) ? 'danger' : undefined}>
                  {money(summary.project.remaining, summary, locale)}
                </Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5}>
                <LevelBar
                  figures={summary.project}
                  warnPercent={th.warn_percent}
                  criticalPercent={th.critical_percent}
                  testId="project-bar"
                />
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      />
    </Card>
  );
}

function CategoryShares({ summary }: { summary: BudgetSummary }) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  // Largest share first.
  const used = summary.by_category
    .filter((c) => !isZero(c.used))
    .sort((a, b) => Number(b.share_percent) - Number(a.share_percent));
  return (
    <Card size="small" title={t('finance.budget.byCategory')} style={{ height: '100%' }}>
      {used.length === 0 ? (
        <Typography.Text type="secondary">{t('finance.budget.noSpend')}</Typography.Text>
      ) : (
        <ShareDonut
          testId="category-shares"
          items={used.map((c) => ({
            key: c.category,
            label: t(`finance.category.${c.category}`, { defaultValue: c.category }),
            color: CATEGORY_COLORS[c.category as keyof typeof CATEGORY_COLORS] ?? '#bfbfbf',
            percent: Number(c.share_percent),
            percentText: `${formatDecimal(c.share_percent, locale, 2)}%`,
            value: money(c.used, summary, locale),
          }))}
          center={
            <>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('finance.budget.used')}
              </Typography.Text>
              <Typography.Text strong style={{ fontSize: 13 }}>
                {money(summary.project.used, summary, locale)}
              </Typography.Text>
            </>
          }
        />
      )}
    </Card>
  );
}

function PhaseShares({ summary, project }: { summary: BudgetSummary; project: Project }) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  // In the project's phase order, the money on no phase last.
  const order = new Map(project.phases.map((p, i) => [p.id, i]));
  const last = project.phases.length;
  const phaseRank = (id: string | null) => (id === null ? last + 1 : (order.get(id) ?? last));
  const phases = summary.by_phase
    .filter((ph) => !isZero(ph.used) || !isZero(ph.budget))
    .sort((a, b) => phaseRank(a.phase_id) - phaseRank(b.phase_id));
  return (
    <Card size="small" title={t('finance.budget.byPhase')} style={{ height: '100%' }}>
      {phases.length === 0 ? (
        <Typography.Text type="secondary">{t('finance.budget.noSpend')}</Typography.Text>
      ) : (
        <Flex vertical gap={10} data-testid="phase-shares">
          {phases.map((ph) => (
            <Flex key={ph.phase_id ?? 'none'} vertical gap={2} data-testid="phase-share">
              <Flex justify="space-between" gap={8}>
                <Typography.Text>{phaseName(ph.phase_id, project, t)}</Typography.Text>
                <Typography.Text type="secondary">
                  {money(ph.used, summary, locale)}
                  {isZero(ph.budget) ? null : ` / ${money(ph.budget, summary, locale)}`}
                  <Typography.Text strong style={{ marginInlineStart: 8 }}>
                    {formatDecimal(ph.share_percent, locale, 2)}%
                  </Typography.Text>
                </Typography.Text>
              </Flex>
              <div style={{ height: 6, borderRadius: 3, background: 'rgba(0,0,0,0.06)' }}>
                <div
                  style={{
                    width: `${Math.min(100, Number(ph.share_percent))}%`,
                    height: '100%',
                    borderRadius: 3,
                    background: LEVEL_COLORS[ph.level],
                  }}
                />
              </div>
            </Flex>
          ))}
        </Flex>
      )}
    </Card>
  );
}

function ForecastCard({ summary }: { summary: BudgetSummary }) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const burn = summary.burn;
  return (
    <Card
      size="small"
      title={t('finance.forecast.title')}
      extra={
        <Typography.Text type="secondary">
          {t('finance.forecast.days', { elapsed: burn.days_elapsed, total: burn.days_total })}
          {burn.actual_per_day === null
            ? null
            : ` · ${t('finance.forecast.perDay', { amount: money(burn.actual_per_day, summary, locale) })}`}
        </Typography.Text>
      }
      data-testid="budget-forecast"
    >
      <Row gutter={[16, 16]}>
        {[burn.forecast_by_time, burn.forecast_by_progress].map((f) => (
          <Col xs={24} md={12} key={f.basis}>
            <ForecastFigure forecast={f} summary={summary} />
          </Col>
        ))}
      </Row>
    </Card>
  );
}

function ForecastFigure({ forecast, summary }: { forecast: Forecast; summary: BudgetSummary }) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const overrun = isNegative(forecast.variance);
  return (
    <Flex vertical gap={4} data-testid={`forecast-${forecast.basis}`}>
      <Typography.Text strong>{t(`finance.forecast.basis.${forecast.basis}`)}</Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t(`finance.forecast.basisHint.${forecast.basis}`)}
      </Typography.Text>
      {forecast.at_completion === null ? (
        <Typography.Text type="secondary">{t('finance.forecast.unknown')}</Typography.Text>
      ) : (
        <Flex gap={24} wrap>
          <Statistic
            title={t('finance.forecast.atCompletion')}
            value={money(forecast.at_completion, summary, locale)}
            valueStyle={{ fontSize: 20 }}
          />
          <Statistic
            title={t('finance.forecast.variance')}
            value={money(forecast.variance, summary, locale)}
            valueStyle={{ fontSize: 20, color: overrun ? LEVEL_COLORS.critical : '#52c41a' }}
            data-testid={`forecast-${forecast.basis}-variance`}
            data-overrun={overrun ? 'true' : 'false'}
          />
        </Flex>
      )}
      {forecast.variance === null || forecast.at_completion === null ? null : (
        <Typography.Text type={overrun ? 'danger' : 'success'}>
          {overrun
            ? t('finance.forecast.overrun', { amount: money(forecast.variance.replace(/^-/, ''), summary, locale) })
            : t('finance.forecast.underrun', { amount: money(forecast.variance, summary, locale) })}
        </Typography.Text>
      )}
    </Flex>
  );
}
