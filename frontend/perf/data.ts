import type { GanttLink, GanttTask } from '@/features/work/gantt/model';

const DAY_MS = 86_400_000;
const iso = (time: number) => new Date(time).toISOString().slice(0, 10);

/**
 * A plan of `phases` × 9 groups × 10 tasks (20 phases: 2,000 rows, WBS three levels deep),
 * about 1.2 dependencies per row (2,400 for 2,000 rows: a finish-to-start chain inside each
 * group plus links across groups of every type), every fourth phase on the critical path,
 * baselines a few days off, the last task of each group a milestone. Deterministic.
 */
export function generatePlan(phases = 20): { tasks: GanttTask[]; links: GanttLink[] } {
  const tasks: GanttTask[] = [];
  const links: GanttLink[] = [];
  const leaves: string[] = [];
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const base = Date.UTC(2026, 0, 5);
  for (let p = 0; p < phases; p++) {
    const phaseId = `p${p}`;
    const phaseStart = base + p * 14 * DAY_MS;
    const critical = p % 4 === 0;
    tasks.push({
      id: phaseId,
      parentId: null,
      wbs: `${p + 1}`,
      title: `阶段 ${p + 1}`,
      start: iso(phaseStart),
      end: iso(phaseStart + 120 * DAY_MS),
      progress: 30,
      milestone: false,
      critical,
      assigneeName: null,
    });
    for (let g = 0; g < 9; g++) {
      const groupId = `${phaseId}g${g}`;
      const groupStart = phaseStart + g * 10 * DAY_MS;
      tasks.push({
        id: groupId,
        parentId: phaseId,
        wbs: `${p + 1}.${g + 1}`,
        title: `工作包 ${p + 1}.${g + 1}`,
        start: iso(groupStart),
        end: iso(groupStart + 40 * DAY_MS),
        progress: 40,
        milestone: false,
        critical: critical && g === 0,
        assigneeName: null,
      });
      let cursor = groupStart;
      for (let l = 0; l < 10; l++) {
        const id = `${groupId}t${l}`;
        const milestone = l === 9;
        const length = milestone ? 0 : Math.floor(random() * 6);
        const start = cursor;
        const end = cursor + length * DAY_MS;
        cursor = end + DAY_MS;
        const shift = Math.floor(random() * 5) - 2;
        tasks.push({
          id,
          parentId: groupId,
          wbs: `${p + 1}.${g + 1}.${l + 1}`,
          title: `任务 ${p + 1}.${g + 1}.${l + 1}`,
          start: iso(start),
          end: iso(end),
          progress: Math.floor(random() * 100),
          milestone,
          critical: critical && g === 0,
          assigneeName: `成员 ${(l + g) % 17}`,
          baselineStart: iso(start - shift * DAY_MS),
          baselineEnd: iso(end - shift * DAY_MS),
        });
        if (l > 0) {
          links.push({
            id: `l${links.length}`,
            predecessorId: `${groupId}t${l - 1}`,
            successorId: id,
            type: 'FS',
            lagDays: 0,
          });
        }
        leaves.push(id);
      }
    }
  }
  const target = Math.round(tasks.length * 1.2);
  const types = ['FS', 'SS', 'FF', 'SF'] as const;
  for (let i = 0; links.length < target && i < leaves.length * 4; i++) {
    const from = (i * 37) % leaves.length;
    const to = Math.min(leaves.length - 1, from + 10 + (i % 7));
    if (from === to) continue;
    links.push({
      id: `l${links.length}`,
      predecessorId: leaves[from] ?? '',
      successorId: leaves[to] ?? '',
      type: types[i % 4] ?? 'FS',
      lagDays: i % 3,
    });
  }
  return { tasks, links };
}
