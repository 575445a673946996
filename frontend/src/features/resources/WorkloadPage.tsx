import { AppstoreOutlined, LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Flex,
  List,
  Modal,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { formatDay, todayIn, type DisplayLocale } from '@/lib/format';
import { paths, projectPath } from '@/lib/paths';
import { useSession } from '@/lib/session';
import { conflictsQuery, workloadQuery } from './api';
import { ConflictList } from './ConflictList';
import {
  heatMap,
  hoursLabel,
  isoWeek,
  LOAD_COLORS,
  percentLabel,
  windowEnd,
  type HeatCell,
  type HeatOrder,
  type HeatRow,
  type LoadLevel,
} from './model';

const WEEK_CHOICES = [4, 8, 12, 26] as const;
const LEVELS: LoadLevel[] = ['ok', 'busy', 'over', 'none'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function monday(day: string): string {
  const d = dayjs(day);
  return d.subtract((d.day() + 6) % 7, 'day').format('YYYY-MM-DD');
}

/** One week of one person: coloured by load, the percent and the hours against the capacity. */
function LoadCell({ row, cell, onOpen }: { row: HeatRow; cell: HeatCell; onOpen: () => void }) {
  const { t } = useTranslation();
  const colors = LOAD_COLORS[cell.level];
  const { week } = cell;
  return (
    <button
      type="button"
      onClick={onOpen}
      data-testid={`cell-${row.resourceId}-${cell.weekStart}`}
      data-level={cell.level}
      aria-label={t('resources.workload.cellLabel', {
        name: row.name,
        week: cell.weekStart,
        percent: percentLabel(week.load_percent),
      })}
      style={{
        width: '100%',
        minWidth: 72,
        padding: '6px 4px',
        cursor: 'pointer',
        background: colors.background,
        color: colors.color,
        border: `1px solid ${colors.border}`,
        borderRadius: 6,
        lineHeight: 1.3,
        font: 'inherit',
      }}
    >
      <div style={{ fontWeight: 600 }}>{week.load_percent === null ? '—' : percentLabel(week.load_percent)}</div>
      <div style={{ fontSize: 12 }}>
        {hoursLabel(week.hours)}/{hoursLabel(week.capacity)}h
      </div>
    </button>
  );
}

/** 工作负荷: each person's load per week across every project, over-allocation in red. */
export function WorkloadPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const me = useSession();
  const [params, setParams] = useSearchParams();
  const today = todayIn(me.org.timezone);
  const fromParam = params.get('from');
  const from = monday(fromParam && DAY.test(fromParam) && dayjs(fromParam).isValid() ? fromParam : today);
  const weeksParam = Number(params.get('weeks'));
  const weeks = (WEEK_CHOICES as readonly number[]).includes(weeksParam) ? weeksParam : 8;
  const order: HeatOrder = params.get('order') === 'peak' ? 'peak' : 'name';
  const load = useQuery(workloadQuery(from, weeks));
  const grid = load.data ? heatMap(load.data, order) : null;
  const end = grid ? windowEnd(grid.weeks) : null;
  const conflicts = useQuery({ ...conflictsQuery(from, end ?? from), enabled: !!end });
  const [open, setOpen] = useState<{ row: HeatRow; cell: HeatCell } | null>(null);

  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  };
  const shift = (by: number) =>
    set({
      from: dayjs(from)
        .add(by * weeks, 'week')
        .format('YYYY-MM-DD'),
    });
  const overPeople = grid?.rows.filter((r) => r.overWeeks > 0) ?? [];

  const columns: ColumnsType<HeatRow> = [
    {
      title: t('resources.workload.person'),
      key: 'person',
      fixed: 'left',
      width: 180,
      render: (_, row) => (
        <Space direction="vertical" size={0}>
          <Space size={4}>
            <Typography.Text strong>{row.name}</Typography.Text>
            {row.active ? null : <Tag>{t('resources.retired')}</Tag>}
          </Space>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {[row.roleTitle, t('resources.details.capacity', { hours: hoursLabel(row.capacity) })]
              .filter(Boolean)
              .join(' · ')}
          </Typography.Text>
        </Space>
      ),
    },
    ...(grid?.weeks ?? []).map((weekStart, index) => ({
      title: (
        <Space direction="vertical" size={0} style={{ lineHeight: 1.2 }}>
          <span>{t('resources.workload.week', { number: isoWeek(weekStart) })}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
            {dayjs(weekStart).format('M/D')}
          </Typography.Text>
        </Space>
      ),
      key: weekStart,
      width: 92,
      align: 'center' as const,
      onHeaderCell: () => ({
        style: weekStart === monday(today) ? { background: '#e6f4ff' } : undefined,
      }),
      render: (_: unknown, row: HeatRow) => {
        const cell = row.cells[index];
        return cell ? <LoadCell row={row} cell={cell} onOpen={() => setOpen({ row, cell })} /> : null;
      },
    })),
  ];

  const opened = open?.cell.week;
  return (
    <>
      <PageHeader
        title={t('resources.workload.title')}
        subtitle={t('resources.workload.subtitle')}
        testId="workload-title"
        extra={
          <Link to={paths.modules.resources}>
            <Button icon={<AppstoreOutlined />}>{t('resources.workload.toCatalogue')}</Button>
          </Link>
        }
      />
      <Flex gap={12} wrap align="center" justify="space-between" style={{ marginBottom: 16 }}>
        <Space wrap>
          <Button icon={<LeftOutlined />} onClick={() => shift(-1)} aria-label={t('resources.workload.earlier')} />
          <DatePicker
            picker="week"
            allowClear={false}
            value={dayjs(from)}
            onChange={(value) => set({ from: value ? monday(value.format('YYYY-MM-DD')) : undefined })}
            data-testid="workload-from"
          />
          <Button icon={<RightOutlined />} onClick={() => shift(1)} aria-label={t('resources.workload.later')} />
          <Button onClick={() => set({ from: undefined })} data-testid="workload-this-week">
            {t('resources.workload.thisWeek')}
          </Button>
          <Select
            value={weeks}
            onChange={(value) => set({ weeks: String(value) })}
            options={WEEK_CHOICES.map((n) => ({ value: n, label: t('resources.workload.weeks', { count: n }) }))}
            style={{ width: 110 }}
            data-testid="workload-weeks"
          />
          <Segmented
            value={order}
            onChange={(value) => set({ order: value === 'peak' ? 'peak' : undefined })}
            options={[
              { value: 'name', label: t('resources.workload.byName') },
              { value: 'peak', label: t('resources.workload.byPeak') },
            ]}
            data-testid="workload-order"
          />
        </Space>
        <Space size={4} wrap data-testid="workload-legend">
          {LEVELS.map((level) => (
            <Tag
              key={level}
              style={{
                background: LOAD_COLORS[level].background,
                color: LOAD_COLORS[level].color,
                borderColor: LOAD_COLORS[level].border,
              }}
            >
              {t(`resources.workload.levels.${level}`)}
            </Tag>
          ))}
        </Space>
      </Flex>
      {load.error ? <ProblemAlert error={load.error} onRetry={() => void load.refetch()} /> : null}
      {overPeople.length > 0 ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="workload-over"
          message={t('resources.workload.overSummary', {
            count: overPeople.length,
            names: overPeople.map((r) => r.name).join('、'),
          })}
        />
      ) : null}
      <Table<HeatRow>
        rowKey="resourceId"
        size="small"
        loading={load.isPending}
        columns={columns}
        dataSource={grid?.rows ?? []}
        pagination={false}
        scroll={{ x: 180 + (grid?.weeks.length ?? 0) * 92 }}
        locale={{ emptyText: t('resources.workload.empty') }}
        data-testid="workload-grid"
      />
      <Card
        title={t('resources.conflicts.title')}
        size="small"
        style={{ marginTop: 24 }}
        loading={conflicts.isPending && !!end}
      >
        {conflicts.error ? <ProblemAlert error={conflicts.error} /> : null}
        <ConflictList conflicts={conflicts.data ?? []} />
      </Card>
      <Modal
        open={!!open}
        onCancel={() => setOpen(null)}
        footer={null}
        title={
          open
            ? t('resources.workload.cellTitle', {
                name: open.row.name,
                from: formatDay(open.cell.weekStart, locale),
                to: formatDay(dayjs(open.cell.weekStart).add(6, 'day').format('YYYY-MM-DD'), locale),
              })
            : null
        }
        data-testid="workload-cell"
      >
        {opened ? (
          <>
            <Descriptions size="small" column={3}>
              <Descriptions.Item label={t('resources.workload.hours')}>{hoursLabel(opened.hours)}</Descriptions.Item>
              <Descriptions.Item label={t('resources.workload.capacity')}>
                {hoursLabel(opened.capacity)}
              </Descriptions.Item>
              <Descriptions.Item label={t('resources.workload.load')}>
                <Tag
                  style={{
                    background: LOAD_COLORS[open.cell.level].background,
                    color: LOAD_COLORS[open.cell.level].color,
                    borderColor: LOAD_COLORS[open.cell.level].border,
                  }}
                >
                  {percentLabel(opened.load_percent)}
                </Tag>
              </Descriptions.Item>
            </Descriptions>
            <Typography.Text type="secondary">
              {t('resources.workload.workingDays', { count: opened.working_days })}
            </Typography.Text>
            <List
              size="small"
              style={{ marginTop: 12 }}
              data-testid="workload-cell-projects"
              dataSource={opened.projects}
              locale={{ emptyText: t('resources.workload.noProjects') }}
              renderItem={(p) => (
                <List.Item extra={t('resources.workload.projectHours', { hours: hoursLabel(p.hours) })}>
                  <Link to={projectPath(p.id)}>{`${p.code} · ${p.name}`}</Link>
                </List.Item>
              )}
            />
          </>
        ) : null}
      </Modal>
    </>
  );
}
