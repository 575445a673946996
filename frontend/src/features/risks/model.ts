import type { Dayjs } from 'dayjs';
import type { IssueAction, IssueCreate, IssueKind, IssueStatus, ProjectDetail, Severity } from './api';

export const KINDS: IssueKind[] = ['issue', 'risk'];
export const SEVERITIES: Severity[] = ['low', 'medium', 'high', 'critical'];
export const STATUSES: IssueStatus[] = ['open', 'in_progress', 'resolved', 'closed'];
export const SCORES = [1, 2, 3, 4, 5] as const;

export const SEVERITY_COLORS: Record<Severity, string> = {
  low: 'default',
  medium: 'blue',
  high: 'orange',
  critical: 'red',
};

export const STATUS_COLORS: Record<IssueStatus, string> = {
  open: 'orange',
  in_progress: 'processing',
  resolved: 'green',
  closed: 'default',
};

/** A risk's score (probability × impact, 1–25) as a level: 1–4 low, 5–9 medium, 10–16 high, 20–25 extreme. */
export type RiskLevel = 'low' | 'medium' | 'high' | 'extreme';

export function riskLevel(score: number): RiskLevel {
  if (score >= 20) return 'extreme';
  if (score >= 10) return 'high';
  if (score >= 5) return 'medium';
  return 'low';
}

export const RISK_LEVEL_COLORS: Record<RiskLevel, string> = {
  low: 'green',
  medium: 'gold',
  high: 'orange',
  extreme: 'red',
};

/** What the caller may do with an issue in its status. */
export function actionsFor(status: IssueStatus): IssueAction[] {
  switch (status) {
    case 'open':
    case 'in_progress':
      return ['resolve', 'close'];
    case 'resolved':
      return ['close', 'reopen'];
    case 'closed':
      return ['reopen'];
  }
}

/** Who may own an issue: the project's manager and the people who work on it (not reviewers or observers). */
export function ownerChoices(project: ProjectDetail | undefined): { value: string; label: string }[] {
  if (!project) return [];
  const out = new Map<string, string>([[project.owner_member_id, project.owner_name]]);
  for (const m of project.members) {
    if (m.role === 'manager' || m.role === 'core' || m.role === 'contributor') out.set(m.member_id, m.name);
  }
  return [...out].map(([value, label]) => ({ value, label }));
}

export interface RaiseValues {
  kind: IssueKind;
  title: string;
  description?: string;
  severity: Severity;
  probability?: number;
  impact?: number;
  owner_member_id?: string;
  due_on?: Dayjs | null;
  task_id?: string;
}

export function raiseBody(values: RaiseValues): IssueCreate {
  const risk = values.kind === 'risk';
  return {
    kind: values.kind,
    title: values.title.trim(),
    description: values.description?.trim() || null,
    severity: values.severity,
    probability: risk ? (values.probability ?? null) : null,
    impact: risk ? (values.impact ?? null) : null,
    owner_member_id: values.owner_member_id ?? null,
    due_on: values.due_on ? values.due_on.format('YYYY-MM-DD') : null,
    task_id: values.task_id ?? null,
  };
}
