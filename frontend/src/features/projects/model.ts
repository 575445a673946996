import dayjs, { type Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { isApiError } from '@/api/errors';
import type { Goal, GoalLinkIn, Period, ProjectCreate, ProjectType, Template } from './api';

/** "blank" in the template step: no phases, tasks or budget lines are laid out. */
export const BLANK_TEMPLATE = 'blank';

export interface BasicsValues {
  name: string;
  type: ProjectType;
  dates: [Dayjs, Dayjs];
  total_budget: number | string | null;
  period_id?: string | null;
  team_id?: string | null;
  description?: string | null;
}

/** A period for a project starting on `day`: the quarter that contains it, else the year. */
export function periodFor(periods: readonly Period[], day: string): Period | undefined {
  const containing = periods.filter((p) => p.starts_on <= day && day <= p.ends_on);
  return containing.find((p) => p.kind === 'quarter') ?? containing.find((p) => p.kind === 'year');
}

/** The goals worth linking for a period: its own and those of the year above it. */
export function goalPeriodIds(periods: readonly Period[], periodId: string | null | undefined): string[] {
  if (!periodId) return [];
  const period = periods.find((p) => p.id === periodId);
  return [periodId, ...(period?.parent_id ? [period.parent_id] : [])];
}

export interface GoalOption {
  value: string;
  label: string;
  depth: number;
}

/** Goals in tree order (parents before their children), with their depth for indenting. */
export function goalOptions(goals: readonly Goal[]): GoalOption[] {
  const ids = new Set(goals.map((g) => g.id));
  const children = new Map<string | null, Goal[]>();
  for (const goal of goals) {
    const parent = goal.parent_id && ids.has(goal.parent_id) ? goal.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), goal]);
  }
  const out: GoalOption[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const goal of children.get(parent) ?? []) {
      out.push({ value: goal.id, label: goal.title, depth });
      walk(goal.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** The dates a template suggests: from `start`, as many days as the template lasts. */
export function templateDates(template: Pick<Template, 'duration_days'> | undefined, start: Dayjs): [Dayjs, Dayjs] {
  const days = Math.max(1, template?.duration_days ?? 30);
  return [start, start.add(days - 1, 'day')];
}

export function buildCreateBody(
  values: BasicsValues,
  template: string,
  links: readonly GoalLinkIn[],
  currency: string,
): ProjectCreate {
  return {
    name: values.name.trim(),
    type: values.type,
    template: template === BLANK_TEMPLATE ? null : template,
    description: values.description?.trim() || null,
    starts_on: values.dates[0].format('YYYY-MM-DD'),
    ends_on: values.dates[1].format('YYYY-MM-DD'),
    total_budget: values.total_budget === null || values.total_budget === '' ? 0 : String(values.total_budget),
    currency,
    period_id: values.period_id ?? null,
    team_id: values.team_id ?? null,
    goal_links: links.map((l) => ({ objective_id: l.objective_id, key_result_id: l.key_result_id ?? null })),
  };
}

export interface NamingProblem {
  message: string;
  expectedForm?: string;
  example?: string;
  /** The part at fault (by its label) and what it may hold, when the server named one. */
  partLabel?: string;
  allowedValues?: string[];
}

/** The server refused the name (422 with a naming_convention error on `name`). */
export function namingProblem(error: unknown): NamingProblem | null {
  if (!isApiError(error) || error.status !== 422) return null;
  const field = error.errors.find((e) => e.type === 'naming_convention' || e.field.replace(/^body\./, '') === 'name');
  if (!field) return null;
  return {
    message: field.message || error.detail || error.title,
    expectedForm: error.extensionString('expected_form'),
    example: error.extensionString('example'),
    partLabel: error.extensionString('part_label'),
    allowedValues: error.extensionList('allowed_values'),
  };
}

/** What to say under the name when the server refused it: the form, and the part at fault
 * with the values it may hold when the server named them. */
export function namingRefusal(t: TFunction, naming: NamingProblem): string {
  if (!naming.expectedForm) return naming.message;
  const refused = t('projects.naming.serverRefused', { form: naming.expectedForm, example: naming.example ?? '' });
  if (!naming.partLabel || !naming.allowedValues?.length) return refused;
  return `${refused}${t('projects.naming.serverAllowed', {
    label: naming.partLabel,
    values: naming.allowedValues.join(' / '),
  })}`;
}

/** The server refused the name as taken by a live project (409 duplicate on `name`). */
export function isDuplicateName(error: unknown): boolean {
  if (!isApiError(error) || error.status !== 409) return false;
  return error.errors.some((e) => e.type === 'duplicate' && e.field.replace(/^body\./, '') === 'name');
}

/** A 409 from a transition: the status the project is really in and what may be done now. */
export interface TransitionConflict {
  detail: string | null;
  currentStatus?: string;
  allowed: string[];
}

export function transitionConflict(error: unknown): TransitionConflict | null {
  if (!isApiError(error) || error.status !== 409) return null;
  return {
    detail: error.detail,
    currentStatus: error.extensionString('current_status'),
    allowed: error.extensionList('allowed_actions') ?? error.extensionList('allowed') ?? [],
  };
}

export function todayDayjs(today: string): Dayjs {
  return dayjs(`${today}T00:00:00`);
}
