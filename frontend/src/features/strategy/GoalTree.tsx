import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  CaretDownOutlined,
  CaretRightOutlined,
  EditOutlined,
  ExclamationCircleOutlined,
  HistoryOutlined,
  PlusOutlined,
  ProjectOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Button, Flex, Table, Tag, Tooltip, Typography, theme } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ProgressBar } from '@/components/ProgressBar';
import { ProjectStatusTag } from '@/components/ProjectStatusTag';
import { formatDay, formatDecimal } from '@/lib/format';
import { projectPath } from '@/lib/paths';
import type { Goal, GoalNode, Kpi } from './api';
import { ChannelKpiSource } from './ChannelKpiSource';
import { useDisplayLocale } from './hooks';
import { LEVEL_COLORS, canCheckIn, formatKpiRange, formatKpiValue, isComputedKpi } from './model';

export interface GoalTreeActions {
  onAddSubGoal: (parent: Goal) => void;
  onAddKpi: (goal: Goal) => void;
  onEditGoal: (goal: Goal) => void;
  onEditKpi: (kpi: Kpi) => void;
  onCheckIn: (kpi: Kpi) => void;
  onHistory: (kpi: Kpi) => void;
}

export interface GoalTreeContext extends GoalTreeActions {
  me: { membership_id: string; permissions: readonly string[] };
  canManage: boolean;
  nameOf: (memberId: string | null | undefined) => string | undefined;
  teamNameOf: (teamId: string | null | undefined) => string | undefined;
  /** The goal the page was opened on, marked in the tree. */
  highlight?: string | null;
  collapsed: ReadonlySet<string>;
  onToggle: (goalId: string) => void;
}

export function DirectionTag({ direction }: { direction: Kpi['direction'] }) {
  const { t } = useTranslation();
  const up = direction === 'increase';
  return (
    <Tooltip title={t(up ? 'strategy.kpi.increaseHint' : 'strategy.kpi.decreaseHint')}>
      <Tag
        bordered={false}
        color={up ? 'green' : 'orange'}
        icon={up ? <ArrowUpOutlined /> : <ArrowDownOutlined />}
        data-testid="kpi-direction"
      >
        {t(up ? 'strategy.kpi.increase' : 'strategy.kpi.decrease')}
      </Tag>
    </Tooltip>
  );
}

function KpiTable({ kpis, ctx }: { kpis: Kpi[]; ctx: GoalTreeContext }) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const anyCheckIn = kpis.some((kpi) => canCheckIn(kpi, ctx.me));
  const canReadChannels = ctx.me.permissions.includes('channels:read');
  const columns: ColumnsType<Kpi> = [
    {
      title: t('strategy.kpi.name'),
      dataIndex: 'name',
      render: (name: string, kpi) => (
        <Flex vertical gap={2} align="flex-start">
          <Typography.Text strong data-testid="kpi-name">
            {name}
          </Typography.Text>
          <ChannelKpiSource kpi={kpi} canReadChannels={canReadChannels} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            <UserOutlined /> {ctx.nameOf(kpi.owner_member_id) ?? t('strategy.noOwner')}
            {' · '}
            {t('strategy.weightValue', { weight: formatDecimal(kpi.weight, locale) })}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('strategy.kpi.direction'),
      dataIndex: 'direction',
      width: 88,
      render: (direction: Kpi['direction']) => <DirectionTag direction={direction} />,
    },
    {
      title: t('strategy.kpi.range'),
      key: 'range',
      width: 180,
      render: (_, kpi) => <span data-testid="kpi-range">{formatKpiRange(kpi, locale)}</span>,
    },
    {
      title: t('strategy.kpi.current'),
      key: 'current',
      width: 165,
      render: (_, kpi) => (
        <Flex vertical gap={2}>
          <Typography.Text strong data-testid="kpi-current">
            {formatKpiValue(kpi.current_value, kpi.unit, locale)}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="kpi-last-check-in">
            {isComputedKpi(kpi)
              ? kpi.current_as_of
                ? t('strategy.kpi.computedAsOf', { date: formatDay(kpi.current_as_of, locale) })
                : t('strategy.kpi.notComputed')
              : kpi.current_as_of
                ? t('strategy.kpi.lastCheckIn', { date: formatDay(kpi.current_as_of, locale) })
                : t('strategy.kpi.noCheckIn')}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('strategy.kpi.attainment'),
      key: 'attainment',
      width: 200,
      render: (_, kpi) => <ProgressBar progress={kpi.attainment} testId="kpi-attainment" />,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      // Readers only get the history button; the check-in button needs the room.
      width: anyCheckIn ? 190 : ctx.canManage ? 96 : 64,
      render: (_, kpi) => (
        <Flex gap={4} wrap align="center">
          {canCheckIn(kpi, ctx.me) ? (
            <Button size="small" type="primary" ghost onClick={() => ctx.onCheckIn(kpi)} data-testid="kpi-check-in">
              {t('strategy.checkIn.action')}
            </Button>
          ) : null}
          <Tooltip title={t('strategy.history.title')}>
            <Button
              size="small"
              type="text"
              icon={<HistoryOutlined />}
              onClick={() => ctx.onHistory(kpi)}
              aria-label={t('strategy.history.title')}
              data-testid="kpi-history"
            />
          </Tooltip>
          {ctx.canManage ? (
            <Tooltip title={t('strategy.kpi.edit')}>
              <Button
                size="small"
                type="text"
                icon={<EditOutlined />}
                onClick={() => ctx.onEditKpi(kpi)}
                aria-label={t('strategy.kpi.edit')}
                data-testid="kpi-edit"
              />
            </Tooltip>
          ) : null}
        </Flex>
      ),
    },
  ];
  return (
    <Table<Kpi>
      rowKey="id"
      size="small"
      className="kpi-table"
      columns={columns}
      dataSource={kpis}
      pagination={false}
      scroll={{ x: 900 }}
      data-testid="kpi-table"
    />
  );
}

/** The projects working towards one goal, each with its lifecycle status. */
function LinkedProjects({ projects }: { projects: GoalNode['projects'] }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={2} style={{ margin: '2px 0 8px' }} data-testid="goal-projects">
      {projects.map((project) => (
        <Flex key={project.id} align="center" gap={8} wrap data-testid="goal-project" data-project-id={project.id}>
          <ProjectOutlined style={{ opacity: 0.6 }} aria-label={t('strategy.linkedProject')} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {project.code}
          </Typography.Text>
          <Link to={projectPath(project.id)} data-testid="goal-project-name">
            {project.name}
          </Link>
          <ProjectStatusTag status={project.status} testId="goal-project-status" />
        </Flex>
      ))}
    </Flex>
  );
}

/** One goal: its row (level, title, owner, progress, flag), then its KPIs and sub-goals. */
export function GoalTree({ node, depth = 0, ctx }: { node: GoalNode; depth?: number; ctx: GoalTreeContext }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const locale = useDisplayLocale();
  const { goal } = node;
  const projects = node.projects ?? [];
  const hasBody = node.key_results.length > 0 || node.children.length > 0 || projects.length > 0;
  const expanded = hasBody && !ctx.collapsed.has(goal.id);
  const team = ctx.teamNameOf(goal.owner_team_id);
  const owner = ctx.nameOf(goal.owner_member_id);

  return (
    <div data-testid="goal-node" data-goal-id={goal.id}>
      <Flex
        align="center"
        gap={10}
        wrap
        className="goal-row"
        data-testid="goal-row"
        style={{
          padding: '8px 0',
          minHeight: 44,
          ...(ctx.highlight === goal.id ? { background: token.colorPrimaryBg, borderRadius: token.borderRadius } : {}),
        }}
      >
        {hasBody ? (
          <Button
            type="text"
            size="small"
            icon={expanded ? <CaretDownOutlined /> : <CaretRightOutlined />}
            onClick={() => ctx.onToggle(goal.id)}
            aria-expanded={expanded}
            aria-label={t(expanded ? 'strategy.collapse' : 'strategy.expand')}
            data-testid="goal-toggle"
          />
        ) : (
          <span style={{ width: 24, flex: 'none' }} />
        )}
        <Tag color={LEVEL_COLORS[goal.level]} style={{ marginInlineEnd: 0 }} data-testid="goal-level">
          {t(`strategy.levels.${goal.level}`)}
        </Tag>
        <Flex vertical style={{ minWidth: 0, flex: '1 1 240px' }}>
          <Flex align="center" gap={8} wrap>
            <Typography.Text strong style={{ fontSize: depth === 0 ? 16 : 14 }} data-testid="goal-title">
              {goal.title}
            </Typography.Text>
            {node.unmeasured ? (
              <Tooltip title={t('strategy.unmeasuredHint')}>
                <Tag color="warning" icon={<ExclamationCircleOutlined />} data-testid="goal-unmeasured">
                  {t('strategy.unmeasured')}
                </Tag>
              </Tooltip>
            ) : null}
            {node.no_work ? (
              <Tooltip title={t('strategy.noWorkHint')}>
                <Tag color="orange" icon={<ExclamationCircleOutlined />} data-testid="goal-no-work">
                  {t('strategy.noWork')}
                </Tag>
              </Tooltip>
            ) : null}
          </Flex>
          {goal.description ? (
            <Typography.Text type="secondary" ellipsis={{ tooltip: goal.description }} style={{ fontSize: 12 }}>
              {goal.description}
            </Typography.Text>
          ) : null}
        </Flex>
        <Typography.Text type="secondary" style={{ flex: 'none', fontSize: 13 }} data-testid="goal-owner">
          {team ? (
            <span data-testid="goal-owner-team">
              <TeamOutlined /> {team}
            </span>
          ) : (
            <>
              <UserOutlined /> {owner ?? t('strategy.noOwner')}
            </>
          )}
          {' · '}
          {t('strategy.weightValue', { weight: formatDecimal(goal.weight, locale) })}
        </Typography.Text>
        <div style={{ width: 240, flex: 'none' }}>
          <ProgressBar progress={goal.progress} testId="goal-progress" />
        </div>
        {ctx.canManage ? (
          <Flex gap={0} style={{ flex: 'none' }}>
            <Button
              size="small"
              type="link"
              icon={<PlusOutlined />}
              onClick={() => ctx.onAddKpi(goal)}
              data-testid="goal-add-kpi"
            >
              {t('strategy.kpi.addShort')}
            </Button>
            <Button
              size="small"
              type="link"
              icon={<PlusOutlined />}
              onClick={() => ctx.onAddSubGoal(goal)}
              data-testid="goal-add-child"
            >
              {t('strategy.goal.addChildShort')}
            </Button>
            <Tooltip title={t('strategy.goal.edit')}>
              <Button
                size="small"
                type="text"
                icon={<EditOutlined />}
                onClick={() => ctx.onEditGoal(goal)}
                aria-label={t('strategy.goal.edit')}
                data-testid="goal-edit"
              />
            </Tooltip>
          </Flex>
        ) : null}
      </Flex>
      {expanded ? (
        <div
          style={{
            marginInlineStart: 11,
            paddingInlineStart: 22,
            borderInlineStart: `2px solid ${token.colorBorderSecondary}`,
            paddingBottom: 4,
          }}
        >
          {projects.length > 0 ? <LinkedProjects projects={projects} /> : null}
          {node.key_results.length > 0 ? (
            <div style={{ margin: '4px 0 8px' }}>
              <KpiTable kpis={node.key_results} ctx={ctx} />
            </div>
          ) : null}
          {node.children.map((child) => (
            <GoalTree key={child.goal.id} node={child} depth={depth + 1} ctx={ctx} />
          ))}
        </div>
      ) : null}
    </div>
  );
}
