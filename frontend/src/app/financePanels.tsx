import { lazy, type ReactNode } from 'react';
import { FinancePanelsContext, type FinancePanels } from '@/lib/financePanelsContext';

/**
 * The finance panels of a project's page (`ProjectBudgetPanel`, `ProjectCostLedgerPanel` in
 * lib/financePanels): composed here, since features do not import each other; downloaded the
 * first time one is shown.
 */
const panels: FinancePanels = {
  Budget: lazy(() => import('@/features/finance/BudgetPanel').then((m) => ({ default: m.BudgetPanel }))),
  CostLedger: lazy(() => import('@/features/finance/CostLedger').then((m) => ({ default: m.CostLedger }))),
  BudgetRequestFacts: lazy(() =>
    import('@/features/finance/BudgetRequestFacts').then((m) => ({ default: m.BudgetRequestFacts })),
  ),
  BudgetBurn: lazy(() => import('@/features/finance/BudgetBurnCard').then((m) => ({ default: m.BudgetBurnCard }))),
};

export function FinancePanelsProvider({ children }: { children: ReactNode }) {
  return <FinancePanelsContext.Provider value={panels}>{children}</FinancePanelsContext.Provider>;
}
