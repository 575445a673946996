// The Gantt benchmark page (scripts/gantt-perf.mjs): GanttChart with a generated 2,000-task
// plan, driven by the script through window.__gantt.
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import '@/i18n';
import { GanttChart } from '@/features/work/gantt/GanttChart';
import type { GanttZoom } from '@/features/work/gantt/model';
import { generatePlan } from './data';

interface BenchWindow {
  __gantt?: {
    ready: boolean;
    mountMs: number;
    tasks: number;
    links: number;
    setZoom(zoom: GanttZoom): void;
    setBaseline(show: boolean): void;
    shiftTask(index: number): void;
    events: unknown[][];
  };
}

const params = new URLSearchParams(window.location.search);
const phases = Number(params.get('phases') ?? '20');
const startedAt = performance.now();
const generated = generatePlan(phases);
// ?links=0: the same plan without dependencies, to see what drawing them costs.
const plan = params.get('links') === '0' ? { ...generated, links: [] } : generated;
const events: unknown[][] = [];
const bench = window as unknown as BenchWindow;
const shiftDay = (day: string) => new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10);

export function Bench() {
  const [zoom, setZoom] = useState<GanttZoom>('day');
  const [showBaseline, setBaseline] = useState(params.get('baseline') !== '0');
  const [tasks, setTasks] = useState(plan.tasks);
  useEffect(() => {
    // Ready once the bars are on screen (the chart mounts SVAR in a transition, after this).
    const check = () => {
      if (!document.querySelector('.wx-bar')) return requestAnimationFrame(check);
      requestAnimationFrame(() => {
        bench.__gantt = {
          ready: true,
          mountMs: performance.now() - startedAt,
          tasks: plan.tasks.length,
          links: plan.links.length,
          setZoom,
          setBaseline,
          // What the Gantt page does after a move is saved: pass a new task array in which the
          // moved task (and so a successor or two) has new dates.
          shiftTask(index: number) {
            setTasks((current) =>
              current.map((task, at) =>
                at === index ? { ...task, start: shiftDay(task.start), end: shiftDay(task.end) } : task,
              ),
            );
          },
          events,
        };
      });
    };
    check();
  }, []);
  return (
    <GanttChart
      tasks={tasks}
      links={plan.links}
      today="2026-03-02"
      nonWorkingDays={['2026-04-06', '2026-05-01']}
      zoom={zoom}
      showBaseline={showBaseline}
      height={window.innerHeight - 2}
      onTaskMove={(...args) => events.push(['move', ...args])}
      onLinkCreate={(...args) => events.push(['link', ...args])}
      onLinkDelete={(...args) => events.push(['unlink', ...args])}
      onTaskOpen={(...args) => events.push(['open', ...args])}
    />
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('no #root');
createRoot(root).render(
  <StrictMode>
    <Bench />
  </StrictMode>,
);
