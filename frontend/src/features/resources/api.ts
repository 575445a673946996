import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import { fetchAll } from '@/api/fetchAll';
import type { components } from '@/api/schema';
import { conflictWindows } from './model';

export type Resource = components['schemas']['ResourceRead'];
export type ResourceCreate = components['schemas']['ResourceCreate'];
export type ResourceUpdate = components['schemas']['ResourceUpdate'];
export type ResourceKind = components['schemas']['ResourceKind'];
export type Allocation = components['schemas']['AllocationRead'];
export type AllocationSaved = components['schemas']['AllocationSaved'];
export type AllocationCreate = components['schemas']['AllocationCreate'];
export type AllocationUpdate = components['schemas']['AllocationUpdate'];
export type ProjectTask = components['schemas']['TaskListItem'];
export type Conflict = components['schemas']['ConflictRead'];
export type Workload = components['schemas']['WorkloadRead'];
export type PersonLoad = components['schemas']['PersonLoadRead'];
export type WeekLoad = components['schemas']['WeekLoadRead'];

export interface ResourceFilters {
  kind?: ResourceKind;
  q?: string;
  active?: boolean;
  limit: number;
  offset: number;
}

export const resourceKeys = {
  all: ['resources'] as const,
  list: (filters: ResourceFilters) => ['resources', 'list', filters] as const,
  allocations: (resourceId: string) => ['resources', 'allocations', resourceId] as const,
  active: ['resources', 'active'] as const,
  projectAllocations: (projectId: string) => ['resources', 'project', projectId, 'allocations'] as const,
  projectTasks: (projectId: string) => ['resources', 'project', projectId, 'tasks'] as const,
  workload: (from: string, weeks: number) => ['resources', 'workload', from, weeks] as const,
  conflicts: (from: string, to: string) => ['resources', 'conflicts', from, to] as const,
};

export function resourcesQuery(filters: ResourceFilters) {
  return queryOptions({
    queryKey: resourceKeys.list(filters),
    queryFn: () => unwrap(api.GET('/api/v1/resources', { params: { query: filters } })),
    placeholderData: keepPreviousData,
  });
}

/** What a resource is booked for (its drawer lists them all). */
export function resourceAllocationsQuery(resourceId: string) {
  return queryOptions({
    queryKey: resourceKeys.allocations(resourceId),
    queryFn: () =>
      fetchAll((limit, offset) =>
        unwrap(
          api.GET('/api/v1/resources/{resource_id}/allocations', {
            params: { path: { resource_id: resourceId }, query: { limit, offset } },
          }),
        ),
      ),
  });
}

/** Every active resource, for the booking form's picker (the catalogue is small; pickers need it whole). */
export const activeResourcesQuery = queryOptions({
  queryKey: resourceKeys.active,
  queryFn: () =>
    fetchAll((limit, offset) =>
      unwrap(api.GET('/api/v1/resources', { params: { query: { active: true, limit, offset } } })),
    ),
  staleTime: 60 * 1000,
});

/** What a project has booked, by first day. */
export function projectAllocationsQuery(projectId: string) {
  return queryOptions({
    queryKey: resourceKeys.projectAllocations(projectId),
    queryFn: () =>
      fetchAll((limit, offset) =>
        unwrap(
          api.GET('/api/v1/projects/{project_id}/allocations', {
            params: { path: { project_id: projectId }, query: { limit, offset } },
          }),
        ),
      ),
  });
}

/** The project's tasks, which a booking may name. */
export function projectTasksQuery(projectId: string) {
  return queryOptions({
    queryKey: resourceKeys.projectTasks(projectId),
    queryFn: () =>
      unwrap(api.GET('/api/v1/projects/{project_id}/tasks', { params: { path: { project_id: projectId } } })),
    staleTime: 60 * 1000,
  });
}

export function workloadQuery(from: string, weeks: number) {
  return queryOptions({
    queryKey: resourceKeys.workload(from, weeks),
    queryFn: () => unwrap(api.GET('/api/v1/workload', { params: { query: { from, weeks } } })),
    placeholderData: keepPreviousData,
  });
}

export function conflictsQuery(from: string, to: string) {
  return queryOptions({
    queryKey: resourceKeys.conflicts(from, to),
    queryFn: () => unwrap(api.GET('/api/v1/resource-conflicts', { params: { query: { from, to } } })),
    placeholderData: keepPreviousData,
  });
}

/**
 * The conflicts between two days, however far apart: the API looks at 366 days at most, so a
 * longer window is asked in pieces (a conflict across a cut comes once per piece it touches).
 */
export function windowConflictsQuery(from: string, to: string) {
  return queryOptions({
    queryKey: resourceKeys.conflicts(from, to),
    queryFn: async () => {
      const pieces = await Promise.all(
        conflictWindows(from, to).map(([first, last]) =>
          unwrap(api.GET('/api/v1/resource-conflicts', { params: { query: { from: first, to: last } } })),
        ),
      );
      return pieces.flat();
    },
  });
}

/** The members a person resource may be, and the projects that still take bookings. */
export const choicesQuery = queryOptions({
  queryKey: ['resources', 'choices'] as const,
  queryFn: async () => {
    const [members, projects] = await Promise.all([
      fetchAll((limit, offset) => unwrap(api.GET('/api/v1/members', { params: { query: { limit, offset } } }))),
      fetchAll((limit, offset) =>
        unwrap(
          api.GET('/api/v1/projects', {
            params: { query: { limit, offset, status: ['draft', 'submitted', 'approved', 'active', 'closing'] } },
          }),
        ),
      ),
    ]);
    return { members, projects };
  },
  staleTime: 5 * 60 * 1000,
});

function useInvalidateResources() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: resourceKeys.all });
}

export function useCreateResource() {
  const invalidate = useInvalidateResources();
  return useMutation({
    mutationFn: (body: ResourceCreate) => unwrap(api.POST('/api/v1/resources', { body })),
    onSuccess: invalidate,
  });
}

export function useUpdateResource() {
  const invalidate = useInvalidateResources();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: ResourceUpdate }) =>
      unwrap(api.PATCH('/api/v1/resources/{resource_id}', { params: { path: { resource_id: id } }, body })),
    onSuccess: invalidate,
  });
}

export function useDeleteResource() {
  const invalidate = useInvalidateResources();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE('/api/v1/resources/{resource_id}', { params: { path: { resource_id: id } } })),
    onSuccess: invalidate,
  });
}

export function useAllocate() {
  const invalidate = useInvalidateResources();
  return useMutation({
    mutationFn: ({ projectId, body }: { projectId: string; body: AllocationCreate }) =>
      unwrap(
        api.POST('/api/v1/projects/{project_id}/allocations', { params: { path: { project_id: projectId } }, body }),
      ),
    onSuccess: invalidate,
  });
}

/** Change a booking's days, hours, quantity, task or note, at the version read. */
export function useUpdateAllocation() {
  const invalidate = useInvalidateResources();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: AllocationUpdate }) =>
      unwrap(api.PATCH('/api/v1/allocations/{allocation_id}', { params: { path: { allocation_id: id } }, body })),
    onSuccess: invalidate,
  });
}

export function useDeleteAllocation() {
  const invalidate = useInvalidateResources();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE('/api/v1/allocations/{allocation_id}', { params: { path: { allocation_id: id } } })),
    onSuccess: invalidate,
  });
}
