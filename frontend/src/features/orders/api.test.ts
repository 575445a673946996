import { describe, expect, it } from 'vitest';
import { transitionBody, type OrderAction } from './api';

describe('transitionBody', () => {
  const order = { id: 'w1', version: 4 };

  it('names the step and the version read; only a reject carries its reason', () => {
    const plain: OrderAction[] = ['accept', 'start', 'complete', 'verify', 'cancel'];
    for (const action of plain) {
      expect(transitionBody({ order, action, reason: 'ignored' })).toEqual({ action, version: 4 });
    }
    expect(transitionBody({ order, action: 'reject', reason: '排期已满' })).toEqual({
      action: 'reject',
      version: 4,
      reason: '排期已满',
    });
  });
});
