import { useQuery } from '@tanstack/react-query';
import { Badge, Card, Flex, List, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '@/components/EmptyState';
import { ProblemAlert } from '@/components/ProblemAlert';
import { LEVEL_COLORS, LEVEL_TAG_COLORS } from '@/lib/budgetLevels';
import { formatDecimal, formatMoney, type DisplayLocale } from '@/lib/format';
import { projectPath } from '@/lib/paths';
import { overspendQuery, type OverspendProject } from './api';
import { overspendBar, worstLines } from './overspend';

function percentText(percent: string | null, locale: DisplayLocale): string {
  return percent === null ? '—' : `${formatDecimal(percent, locale, 1)}%`;
}

/**
 * 超支预警: the running projects at or past a threshold (`mine`: those I manage), worst first —
 * each with used against budget on a bar coloured by level and its worst lines as tags, linking
 * to the project's budget tab.
 */
export function OverspendCard({ mine }: { mine: boolean }) {
  const { t, i18n } = useTranslation();
  const locale: DisplayLocale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const query = useQuery(overspendQuery(mine));
  const count = query.data?.length ?? 0;
  return (
    <Card
      variant="borderless"
      style={{ height: '100%' }}
      data-testid="panel-overspend"
      title={
        <Flex align="center" gap={8}>
          {t(mine ? 'home.overspend.mine' : 'home.overspend.title')}
          <Badge
            count={count}
            showZero
            color={count > 0 ? LEVEL_COLORS.critical : '#bfbfbf'}
            data-testid="panel-overspend-count"
          />
        </Flex>
      }
    >
      {query.error ? <ProblemAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      <List
        loading={query.isPending}
        dataSource={query.data ?? []}
        locale={{ emptyText: <EmptyState compact description={t('home.overspend.empty')} /> }}
        renderItem={(project) => <OverspendRow project={project} locale={locale} />}
      />
    </Card>
  );
}

function OverspendRow({ project, locale }: { project: OverspendProject; locale: DisplayLocale }) {
  const { t } = useTranslation();
  const lines = worstLines(project);
  const more = project.lines.length - lines.length;
  const money = (amount: string) => formatMoney(amount, project.currency, locale);
  return (
    <List.Item data-testid="overspend-project" data-level={project.level}>
      <Flex vertical gap={6} style={{ width: '100%', minWidth: 0 }}>
        <Flex justify="space-between" align="center" gap={8}>
          <Link to={projectPath(project.id, 'budget')} data-testid="overspend-link" style={{ minWidth: 0 }}>
            <Typography.Text ellipsis style={{ color: 'inherit' }}>
              {project.code} {project.name}
            </Typography.Text>
          </Link>
          <Tag color={LEVEL_TAG_COLORS[project.level]} style={{ marginInlineEnd: 0 }}>
            {t(`finance.level.${project.level}`)}
          </Tag>
        </Flex>
        <Flex align="center" gap={8}>
          <div
            role="meter"
            aria-label={t('home.overspend.bar', { percent: percentText(project.used_percent, locale) })}
            aria-valuenow={project.used_percent === null ? undefined : Number(project.used_percent)}
            style={{ flex: 1, height: 8, borderRadius: 4, background: 'rgba(0,0,0,0.06)' }}
          >
            <div
              data-testid="overspend-bar"
              style={{
                width: `${overspendBar(project)}%`,
                height: '100%',
                borderRadius: 4,
                background: LEVEL_COLORS[project.level],
              }}
            />
          </div>
          <Typography.Text
            strong={project.level !== 'ok'}
            style={{ color: project.level === 'ok' ? undefined : LEVEL_COLORS[project.level], whiteSpace: 'nowrap' }}
          >
            {percentText(project.used_percent, locale)}
          </Typography.Text>
        </Flex>
        <Flex justify="space-between" gap={8} wrap>
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="overspend-money">
            {t('home.overspend.used', { used: money(project.used), budget: money(project.budget) })}
          </Typography.Text>
          <Flex gap={4} wrap>
            {lines.map((line) => (
              <Tag
                key={line.id}
                color={LEVEL_TAG_COLORS[line.level]}
                bordered={false}
                style={{ marginInlineEnd: 0 }}
                data-testid="overspend-line"
              >
                {line.name} {percentText(line.used_percent, locale)}
              </Tag>
            ))}
            {more > 0 ? (
              <Tag bordered={false} style={{ marginInlineEnd: 0 }}>
                {t('home.overspend.more', { count: more })}
              </Tag>
            ) : null}
          </Flex>
        </Flex>
      </Flex>
    </List.Item>
  );
}
