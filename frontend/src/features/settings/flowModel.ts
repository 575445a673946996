import { isApiError, type FieldError } from '@/api/errors';
import type { ApprovalFlow, FlowStepIn, RequestType } from './api';

/** The request types an organisation configures, in the order they are shown. */
export const REQUEST_TYPES = ['project_initiation', 'budget_request'] as const satisfies readonly RequestType[];

/** The roles holding approvals:decide; only they may be given a step. */
export const APPROVER_ROLES = ['director', 'finance', 'admin'] as const satisfies readonly FlowStepIn['role'][];
export type ApproverRole = (typeof APPROVER_ROLES)[number];

export function isApproverRole(role: string): role is ApproverRole {
  return (APPROVER_ROLES as readonly string[]).includes(role);
}

/** One step as edited: a role, and the amount above which it applies (null: every amount). */
export interface StepDraft {
  /** Stable row key for React while steps move around. */
  key: string;
  role: ApproverRole | null;
  minAmount: number | null;
}

let nextKey = 0;
function newKey(): string {
  nextKey += 1;
  return `step-${nextKey}`;
}

export function draftsFromFlow(flow: Pick<ApprovalFlow, 'steps'>): StepDraft[] {
  return flow.steps.map((s) => ({
    key: newKey(),
    role: isApproverRole(s.role) ? s.role : null,
    minAmount: s.min_amount === null || s.min_amount === '' ? null : Number(s.min_amount),
  }));
}

export function addStep(steps: readonly StepDraft[]): StepDraft[] {
  return [...steps, { key: newKey(), role: null, minAmount: null }];
}

export function removeStep(steps: readonly StepDraft[], index: number): StepDraft[] {
  return steps.filter((_, i) => i !== index);
}

/** Moves the step at `index` one place up (-1) or down (+1); out-of-range moves change nothing. */
export function moveStep(steps: readonly StepDraft[], index: number, by: -1 | 1): StepDraft[] {
  const target = index + by;
  if (index < 0 || index >= steps.length || target < 0 || target >= steps.length) return [...steps];
  const out = [...steps];
  const [moved] = out.splice(index, 1);
  out.splice(target, 0, moved as StepDraft);
  return out;
}

export function updateStep(steps: readonly StepDraft[], index: number, patch: Partial<StepDraft>): StepDraft[] {
  return steps.map((s, i) => (i === index ? { ...s, ...patch } : s));
}

/** What is wrong with the steps, as i18n keys: per row, and for the flow as a whole. */
export interface FlowProblems {
  rows: Record<number, string[]>;
  flow: string[];
}

export function validateSteps(steps: readonly StepDraft[]): FlowProblems {
  const rows: Record<number, string[]> = {};
  const flow: string[] = [];
  steps.forEach((s, i) => {
    const problems: string[] = [];
    if (!s.role) problems.push('settings.flows.roleRequired');
    if (s.minAmount !== null && !(s.minAmount >= 0)) problems.push('settings.flows.amountInvalid');
    if (problems.length > 0) rows[i] = problems;
  });
  if (steps.length === 0) flow.push('settings.flows.needOneStep');
  else if (steps.every((s) => s.minAmount !== null)) flow.push('settings.flows.needUnconditional');
  return { rows, flow };
}

export function hasProblems(problems: FlowProblems): boolean {
  return problems.flow.length > 0 || Object.keys(problems.rows).length > 0;
}

/** The PUT body: steps in order, amounts as decimal strings (money never goes through a float twice). */
export function buildFlowBody(steps: readonly StepDraft[]): { steps: FlowStepIn[] } {
  return {
    steps: steps.map((s) => ({
      role: s.role as ApproverRole,
      min_amount: s.minAmount === null ? null : String(s.minAmount),
    })),
  };
}

/** The server's 422, split into messages per step row and for the whole flow. */
export function serverFlowProblems(
  error: unknown,
  text: (e: FieldError) => string = (e) => e.message,
): { rows: Record<number, string[]>; flow: string[] } {
  const rows: Record<number, string[]> = {};
  const flow: string[] = [];
  if (!isApiError(error) || error.status !== 422) return { rows, flow };
  for (const e of error.errors) {
    const match = /^(?:body\.)?steps\[(\d+)\]/.exec(e.field) ?? /^(?:body\.)?steps\.(\d+)/.exec(e.field);
    if (match) {
      const index = Number(match[1]);
      rows[index] = [...(rows[index] ?? []), text(e)];
    } else {
      flow.push(text(e));
    }
  }
  if (flow.length === 0 && Object.keys(rows).length === 0) flow.push(error.detail ?? error.title);
  return { rows, flow };
}
