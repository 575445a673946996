import { Flex, Tooltip, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '@/components/EmptyState';
import { formatDay, type DisplayLocale } from '@/lib/format';
import type { BattleMap } from './api';
import {
  dayCentre,
  dayString,
  labelLanes,
  milestoneState,
  monthTicks,
  phaseColor,
  segment,
  timelineSpan,
  type MilestoneState,
} from './layout';

const MILESTONE_COLORS: Record<MilestoneState, string> = { done: '#52c41a', late: '#ff4d4f', open: '#1677ff' };
const LANES = 3;
/** Percent of the strip a milestone's label needs before the next may share its lane. */
const LABEL_GAP = 14;
const PHASE_TOP = 22;
const PHASE_HEIGHT = 26;
const MILESTONE_TOP = PHASE_TOP + PHASE_HEIGHT + 6;
const LABEL_TOP = MILESTONE_TOP + 18;
const LANE_HEIGHT = 18;

/** Short day for the strip's labels: 12/1 (the year is in the header). */
function shortDay(day: string): string {
  const [, m, d] = day.split('-');
  return `${Number(m)}/${Number(d)}`;
}

/**
 * The project's time on one strip: phases as coloured segments, milestones as diamonds (red
 * when late, green when done), a month axis and a vertical line for today. Plain divs,
 * positioned in percent, so it stretches with its card.
 */
export function Timeline({ map, locale }: { map: BattleMap; locale: DisplayLocale }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const { project, phases, milestones, today } = map;
  if (phases.length === 0 && milestones.length === 0) {
    return <EmptyState compact description={t('battleMap.timeline.empty')} testId="timeline-empty" />;
  }
  const span = timelineSpan([
    project.starts_on,
    project.ends_on,
    ...phases.flatMap((p) => [p.starts_on, p.ends_on]),
    ...milestones.map((m) => m.due_on),
  ]);
  const todayLeft = dayCentre(today, span);
  const ticks = monthTicks(span, todayLeft);
  const placed = milestones.map((m) => ({ m, left: dayCentre(m.due_on, span) ?? 0 })).sort((a, b) => a.left - b.left);
  const lanes = labelLanes(
    placed.map((p) => p.left),
    LABEL_GAP,
    LANES,
  );
  const usedLanes = placed.length > 0 ? Math.max(...lanes) + 1 : 0;
  const height = LABEL_TOP + usedLanes * LANE_HEIGHT + 4;
  return (
    <div data-testid="timeline">
      <div style={{ position: 'relative', height, marginInline: 8 }}>
        {/* Month axis */}
        {ticks.map((tick) => (
          <div
            key={tick.day}
            style={{
              position: 'absolute',
              left: `${tick.left}%`,
              top: 0,
              bottom: 0,
              borderInlineStart: `1px dashed ${token.colorBorderSecondary}`,
            }}
          >
            <Typography.Text type="secondary" style={{ fontSize: 11, paddingInlineStart: 3, whiteSpace: 'nowrap' }}>
              {shortDay(tick.day)}
            </Typography.Text>
          </div>
        ))}
        {/* Phases */}
        {phases.map((phase, i) => {
          const { left, width } = segment(phase.starts_on, phase.ends_on, span);
          return (
            <Tooltip
              key={phase.id}
              title={t('battleMap.timeline.phase', {
                name: phase.name,
                start: formatDay(phase.starts_on, locale),
                end: formatDay(phase.ends_on, locale),
              })}
            >
              <div
                data-testid="timeline-phase"
                data-left={left.toFixed(2)}
                data-width={width.toFixed(2)}
                style={{
                  position: 'absolute',
                  left: `${left}%`,
                  width: `${width}%`,
                  top: PHASE_TOP,
                  height: PHASE_HEIGHT,
                  background: phaseColor(i),
                  opacity: 0.85,
                  borderRadius: 4,
                  border: '1px solid #fff',
                  color: '#fff',
                  fontSize: 12,
                  lineHeight: `${PHASE_HEIGHT - 2}px`,
                  paddingInline: 6,
                  overflow: 'hidden',
                  whiteSpace: 'nowrap',
                  textOverflow: 'ellipsis',
                  boxSizing: 'border-box',
                }}
              >
                {phase.name}
              </div>
            </Tooltip>
          );
        })}
        {/* Milestones */}
        {placed.map(({ m, left }, i) => {
          const state = milestoneState(m, today, project.ends_on);
          const lane = lanes[i] ?? 0;
          return (
            <div key={m.id}>
              <Tooltip
                title={`${m.title} · ${formatDay(m.due_on, locale)} · ${t(`battleMap.timeline.milestone.${state}`)}`}
              >
                <div
                  data-testid="timeline-milestone"
                  data-state={state}
                  data-left={left.toFixed(2)}
                  aria-label={m.title}
                  style={{
                    position: 'absolute',
                    left: `calc(${left}% - 6px)`,
                    top: MILESTONE_TOP,
                    width: 12,
                    height: 12,
                    background: MILESTONE_COLORS[state],
                    transform: 'rotate(45deg)',
                    border: '1px solid #fff',
                    zIndex: 2,
                  }}
                />
              </Tooltip>
              <div
                style={{
                  position: 'absolute',
                  left: `${left}%`,
                  top: LABEL_TOP + lane * LANE_HEIGHT,
                  transform: left > 85 ? 'translateX(-100%)' : left < 15 ? 'none' : 'translateX(-50%)',
                  fontSize: 11,
                  whiteSpace: 'nowrap',
                  maxWidth: 160,
                  overflow: 'hidden',
                  textOverflow: 'ellipsis',
                  color: state === 'late' ? MILESTONE_COLORS.late : token.colorText,
                  background: token.colorBgContainer,
                  paddingInline: 2,
                  // Above today's line: a label stays readable where the line crosses it.
                  zIndex: 4,
                }}
              >
                {m.title} {shortDay(m.due_on)}
              </div>
            </div>
          );
        })}
        {/* Today */}
        {todayLeft !== null ? (
          <div
            data-testid="timeline-today"
            data-left={todayLeft.toFixed(2)}
            style={{
              position: 'absolute',
              left: `${todayLeft}%`,
              top: 14,
              bottom: 0,
              borderInlineStart: '2px solid #ff4d4f',
              zIndex: 3,
              pointerEvents: 'none',
            }}
          >
            <span
              style={{
                position: 'absolute',
                top: -14,
                transform: 'translateX(-50%)',
                fontSize: 11,
                color: '#fff',
                background: '#ff4d4f',
                borderRadius: 3,
                paddingInline: 4,
                whiteSpace: 'nowrap',
                lineHeight: '14px',
              }}
            >
              {t('battleMap.timeline.today')}
            </span>
          </div>
        ) : null}
      </div>
      <Flex justify="space-between" wrap gap={8} style={{ marginTop: 4 }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {formatDay(dayString(span.first), locale)} – {formatDay(dayString(span.last), locale)}
          {todayLeft === null ? ` · ${t('battleMap.timeline.todayOutside')}` : ''}
        </Typography.Text>
        <Flex gap={12} wrap style={{ fontSize: 12 }}>
          {(['open', 'late', 'done'] as const).map((state) => (
            <Flex key={state} align="center" gap={4}>
              <span
                style={{
                  display: 'inline-block',
                  width: 8,
                  height: 8,
                  background: MILESTONE_COLORS[state],
                  transform: 'rotate(45deg)',
                }}
              />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t(`battleMap.timeline.milestone.${state}`)}
              </Typography.Text>
            </Flex>
          ))}
        </Flex>
      </Flex>
    </div>
  );
}
