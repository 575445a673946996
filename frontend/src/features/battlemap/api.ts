import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { components } from '@/api/schema';

export type BattleMap = components['schemas']['BattleMap'];
export type BriefTask = components['schemas']['BriefTask'];
export type OverdueTask = components['schemas']['OverdueTask'];
export type BattleIssue = components['schemas']['BattleIssue'];
export type Workload = components['schemas']['Workload'];
export type BattleGoal = components['schemas']['BattleGoal'];
export type Activity = components['schemas']['ActivityRead'];

/** The battle map is a wall display: it refreshes itself every minute. */
export const REFRESH_MS = 60 * 1000;

export const battleMapKeys = {
  map: (projectId: string) => ['battle-map', projectId] as const,
};

export function battleMapQuery(projectId: string) {
  return queryOptions({
    queryKey: battleMapKeys.map(projectId),
    queryFn: () =>
      unwrap(api.GET('/api/v1/projects/{project_id}/battle-map', { params: { path: { project_id: projectId } } })),
    refetchInterval: REFRESH_MS,
  });
}
