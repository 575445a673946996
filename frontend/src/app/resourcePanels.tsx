import { lazy, type ReactNode } from 'react';
import { ResourcePanelsContext, type ResourcePanels } from '@/lib/resourcePanelsContext';

/**
 * The resource panels of a project's page (`ProjectResourcesPanel` in lib/resourcePanels):
 * composed here, since features do not import each other; downloaded the first time one is shown.
 */
const panels: ResourcePanels = {
  ProjectResources: lazy(() =>
    import('@/features/resources/ProjectResources').then((m) => ({ default: m.ProjectResources })),
  ),
};

export function ResourcePanelsProvider({ children }: { children: ReactNode }) {
  return <ResourcePanelsContext.Provider value={panels}>{children}</ResourcePanelsContext.Provider>;
}
