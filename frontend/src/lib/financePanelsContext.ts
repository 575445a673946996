import { createContext, useContext, type ComponentType } from 'react';
import type { components } from '@/api/schema';

export interface ProjectFinanceProps {
  /** The project as its page read it (currency, status, phases, planned lines). */
  project: components['schemas']['ProjectDetail'];
  /** Whether the signed-in person may manage the project (the project policy's MANAGE right). */
  mayManage: boolean;
}

export interface BudgetRequestFactsProps {
  /** The budget request's id (an approval's subject_id). */
  budgetRequestId: string;
}

export interface BudgetBurnProps {
  projectId: string;
  /** Read again this often (ms), as the page around it is. */
  refetchInterval?: number;
}

/**
 * The finance panels a project's page shows (预算, 成本台账), provided by the app shell
 * (`src/app`): features never import each other, so the project page shows them through this
 * slot, and their code is downloaded only when one is shown.
 */
export interface FinancePanels {
  Budget: ComponentType<ProjectFinanceProps>;
  CostLedger: ComponentType<ProjectFinanceProps>;
  /** What an approver of a budget request (预算申请) decides on. */
  BudgetRequestFacts: ComponentType<BudgetRequestFactsProps>;
  /** A project's budget burn for its battle map. */
  BudgetBurn: ComponentType<BudgetBurnProps>;
}

export const FinancePanelsContext = createContext<FinancePanels | null>(null);

/** Whether the app provides the finance panels (a page without them shows what it has). */
export function useHasFinancePanels(): boolean {
  return useContext(FinancePanelsContext) !== null;
}
