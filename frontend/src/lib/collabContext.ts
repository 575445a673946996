import { createContext, type ComponentType } from 'react';
import type { components } from '@/api/schema';

/** What a discussion (comments and files) can be about. */
export type SubjectType = components['schemas']['SubjectType'];

export interface DiscussionProps {
  subjectType: SubjectType;
  subjectId: string;
  /**
   * Whether the signed-in person may comment and attach files here, when the subject's own
   * rule is not the default `work:write` (a cost's receipts: who may record costs on its project).
   */
  canWrite?: boolean;
}

export interface ProjectActivityProps {
  projectId: string;
}

/**
 * The collaboration panels, provided by the app shell (`src/app`): features never import each
 * other, so a page shows a discussion or a project's activity through this slot, and the
 * panels' code is downloaded only when one is shown.
 */
export interface CollabPanels {
  Discussion: ComponentType<DiscussionProps>;
  ProjectActivity: ComponentType<ProjectActivityProps>;
  /** Today's daily check-in (每日打卡) of the signed-in person, for their home page. */
  TodayCheckIn: ComponentType;
}

export const CollabPanelsContext = createContext<CollabPanels | null>(null);
