import { Skeleton } from 'antd';
import { Suspense, useContext } from 'react';
import {
  CollabPanelsContext,
  type CollabPanels,
  type DiscussionProps,
  type ProjectActivityProps,
} from './collabContext';

export type { DiscussionProps, ProjectActivityProps, SubjectType } from './collabContext';

function useCollabPanels(): CollabPanels | null {
  return useContext(CollabPanelsContext);
}

/** Comments with @mentions and attachments of a project, task, work order or issue. */
export function SubjectDiscussion(props: DiscussionProps) {
  const panels = useCollabPanels();
  if (!panels) return null;
  return (
    <Suspense fallback={<Skeleton active />}>
      <panels.Discussion {...props} />
    </Suspense>
  );
}

/** What happened in a project, newest first (from the audit log). */
export function ProjectActivityFeed(props: ProjectActivityProps) {
  const panels = useCollabPanels();
  if (!panels) return null;
  return (
    <Suspense fallback={<Skeleton active />}>
      <panels.ProjectActivity {...props} />
    </Suspense>
  );
}

/** The signed-in person's check-in of today (每日打卡): done, next, blockers, task progress. */
export function TodayCheckInSlot() {
  const panels = useCollabPanels();
  if (!panels) return null;
  return (
    <Suspense fallback={<Skeleton active />}>
      <panels.TodayCheckIn />
    </Suspense>
  );
}
