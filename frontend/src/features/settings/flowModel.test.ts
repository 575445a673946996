import { ApiError } from '@/api/errors';
import {
  addStep,
  buildFlowBody,
  draftsFromFlow,
  hasProblems,
  moveStep,
  removeStep,
  serverFlowProblems,
  updateStep,
  validateSteps,
} from './flowModel';

const DEFAULT_FLOW = {
  steps: [
    { role: 'director', min_amount: null },
    { role: 'finance', min_amount: '500000.00' },
  ],
};

describe('the approval flow step editor', () => {
  it('reads the saved steps, amounts as numbers and unknown roles as unpicked', () => {
    const steps = draftsFromFlow({ steps: [...DEFAULT_FLOW.steps, { role: 'viewer', min_amount: null }] });
    expect(steps.map((s) => [s.role, s.minAmount])).toEqual([
      ['director', null],
      ['finance', 500000],
      [null, null],
    ]);
    expect(new Set(steps.map((s) => s.key)).size).toBe(3);
  });

  it('adds, removes, edits and reorders steps without touching the others', () => {
    let steps = draftsFromFlow(DEFAULT_FLOW);
    steps = addStep(steps);
    expect(steps).toHaveLength(3);
    steps = updateStep(steps, 2, { role: 'admin', minAmount: 1000000 });
    steps = moveStep(steps, 2, -1);
    expect(steps.map((s) => s.role)).toEqual(['director', 'admin', 'finance']);
    // Moving past either end changes nothing.
    expect(moveStep(steps, 0, -1).map((s) => s.role)).toEqual(['director', 'admin', 'finance']);
    expect(moveStep(steps, 2, 1).map((s) => s.role)).toEqual(['director', 'admin', 'finance']);
    steps = removeStep(steps, 0);
    expect(steps.map((s) => s.role)).toEqual(['admin', 'finance']);
  });

  it('builds the PUT body in order, amounts as decimal strings and null for every amount', () => {
    const steps = moveStep(draftsFromFlow(DEFAULT_FLOW), 1, -1);
    expect(buildFlowBody(steps)).toEqual({
      steps: [
        { role: 'finance', min_amount: '500000' },
        { role: 'director', min_amount: null },
      ],
    });
  });

  it('needs a role on each step and one step that applies to every amount', () => {
    expect(hasProblems(validateSteps(draftsFromFlow(DEFAULT_FLOW)))).toBe(false);

    const allAbove = updateStep(draftsFromFlow(DEFAULT_FLOW), 0, { minAmount: 1000 });
    expect(validateSteps(allAbove).flow).toEqual(['settings.flows.needUnconditional']);

    const unpicked = addStep(draftsFromFlow(DEFAULT_FLOW));
    expect(validateSteps(unpicked).rows).toEqual({ 2: ['settings.flows.roleRequired'] });
    expect(validateSteps([]).flow).toEqual(['settings.flows.needOneStep']);
  });

  it('puts the server’s 422 on the step it names, or on the whole flow', () => {
    const error = new ApiError({
      type: 'about:blank',
      title: 'Validation failed',
      status: 422,
      detail: 'At least one step must apply to every amount.',
      errors: [
        { field: 'steps', message: 'at least one step needs no min_amount', type: 'no_unconditional_step' },
        { field: 'steps[1].role', message: "the role 'viewer' does not decide approvals", type: 'role_cannot_decide' },
      ],
    });
    expect(serverFlowProblems(error)).toEqual({
      rows: { 1: ["the role 'viewer' does not decide approvals"] },
      flow: ['at least one step needs no min_amount'],
    });
    // Known complaints can be said in the reader's language.
    expect(serverFlowProblems(error, (e) => e.type).flow).toEqual(['no_unconditional_step']);
    expect(serverFlowProblems(new Error('boom'))).toEqual({ rows: {}, flow: [] });
  });
});
