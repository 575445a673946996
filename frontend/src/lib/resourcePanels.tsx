import { Skeleton } from 'antd';
import { Suspense, useContext } from 'react';
import { ResourcePanelsContext, type ProjectResourcesProps } from './resourcePanelsContext';

export type { ProjectResourcesProps } from './resourcePanelsContext';

/** A project's booked resources (资源): by kind, with their conflicts; its managers book here. */
export function ProjectResourcesPanel(props: ProjectResourcesProps) {
  const panels = useContext(ResourcePanelsContext);
  if (!panels) return null;
  return (
    <Suspense fallback={<Skeleton active />}>
      <panels.ProjectResources {...props} />
    </Suspense>
  );
}
