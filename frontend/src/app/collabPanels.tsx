import { lazy, type ReactNode } from 'react';
import { CollabPanelsContext, type CollabPanels } from '@/lib/collabContext';

/**
 * The collaboration panels every page may show (`SubjectDiscussion`, `ProjectActivityFeed` in
 * lib/collab): composed here, since features do not import each other; downloaded the first
 * time one is shown.
 */
const panels: CollabPanels = {
  Discussion: lazy(() => import('@/features/collab/Discussion').then((m) => ({ default: m.Discussion }))),
  ProjectActivity: lazy(() =>
    import('@/features/collab/ProjectActivity').then((m) => ({ default: m.ProjectActivity })),
  ),
  TodayCheckIn: lazy(() =>
    import('@/features/checkins/TodayCheckInCard').then((m) => ({ default: m.TodayCheckInCard })),
  ),
};

export function CollabPanelsProvider({ children }: { children: ReactNode }) {
  return <CollabPanelsContext.Provider value={panels}>{children}</CollabPanelsContext.Provider>;
}
