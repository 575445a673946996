import { createContext, useContext, type ComponentType } from 'react';
import type { components } from '@/api/schema';

export interface ProjectResourcesProps {
  /** The project as its page read it (dates, status, code and name). */
  project: components['schemas']['ProjectDetail'];
  /** Whether the signed-in person may manage the project (the project policy's MANAGE right). */
  mayManage: boolean;
}

/**
 * The resource panels a project's page shows (资源), provided by the app shell (`src/app`):
 * features never import each other, so the project page shows them through this slot, and
 * their code is downloaded only when one is shown.
 */
export interface ResourcePanels {
  /** What the project has booked (people, materials, channels, vendors, venues) and its conflicts. */
  ProjectResources: ComponentType<ProjectResourcesProps>;
}

export const ResourcePanelsContext = createContext<ResourcePanels | null>(null);

/** Whether the app provides the resource panels (a page without them shows what it has). */
export function useHasResourcePanels(): boolean {
  return useContext(ResourcePanelsContext) !== null;
}
