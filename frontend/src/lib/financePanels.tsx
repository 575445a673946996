import { Skeleton } from 'antd';
import { Suspense, useContext } from 'react';
import {
  FinancePanelsContext,
  type BudgetBurnProps,
  type BudgetRequestFactsProps,
  type ProjectFinanceProps,
} from './financePanelsContext';

export type { BudgetBurnProps, BudgetRequestFactsProps, ProjectFinanceProps } from './financePanelsContext';

/** A project's budget against its costs: lines, shares, forecast (预算). */
export function ProjectBudgetPanel(props: ProjectFinanceProps) {
  const panels = useContext(FinancePanelsContext);
  if (!panels) return null;
  return (
    <Suspense fallback={<Skeleton active />}>
      <panels.Budget {...props} />
    </Suspense>
  );
}

/** A project's cost ledger (成本台账): its entries, recording and verifying costs. */
export function ProjectCostLedgerPanel(props: ProjectFinanceProps) {
  const panels = useContext(FinancePanelsContext);
  if (!panels) return null;
  return (
    <Suspense fallback={<Skeleton active />}>
      <panels.CostLedger {...props} />
    </Suspense>
  );
}

/** A budget request as its approvers weigh it: the project, the reason, each line before → after. */
export function BudgetRequestFacts(props: BudgetRequestFactsProps) {
  const panels = useContext(FinancePanelsContext);
  if (!panels) return null;
  return (
    <Suspense fallback={<Skeleton active />}>
      <panels.BudgetRequestFacts {...props} />
    </Suspense>
  );
}

/** A project's budget burn: used against budget, the daily burn and the forecasts at completion. */
export function ProjectBudgetBurn(props: BudgetBurnProps) {
  const panels = useContext(FinancePanelsContext);
  if (!panels) return null;
  return (
    <Suspense fallback={<Skeleton active />}>
      <panels.BudgetBurn {...props} />
    </Suspense>
  );
}
