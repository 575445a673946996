import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import { fetchAll } from '@/api/fetchAll';
import type { components } from '@/api/schema';

export type WorkOrder = components['schemas']['WorkOrderRead'];
export type WorkOrderCreate = components['schemas']['WorkOrderCreate'];
export type WorkOrderStatus = components['schemas']['WorkOrderStatus'];
export type WorkOrderBox = components['schemas']['WorkOrderBox'];
export type OrderAction = components['schemas']['OrderAction'];
export type Priority = components['schemas']['Priority'];

export interface WorkOrderFilters {
  box: WorkOrderBox;
  status?: WorkOrderStatus[];
  q?: string;
  limit: number;
  offset: number;
}

export const workOrderKeys = {
  all: ['work-orders'] as const,
  list: (filters: WorkOrderFilters) => ['work-orders', 'list', filters] as const,
};

export function workOrdersQuery(filters: WorkOrderFilters) {
  return queryOptions({
    queryKey: workOrderKeys.list(filters),
    queryFn: () => unwrap(api.GET('/api/v1/work-orders', { params: { query: { ...filters, order: 'due' } } })),
    placeholderData: keepPreviousData,
    // The SLA countdown and overdue flags come from the server's clock: refresh now and then.
    refetchInterval: 60_000,
  });
}

/** Whom a work order can go to, and which project it may belong to (pickers must be complete). */
export const assigneeChoicesQuery = queryOptions({
  queryKey: ['work-orders', 'choices'] as const,
  queryFn: async () => {
    const [members, teams, projects] = await Promise.all([
      fetchAll((limit, offset) => unwrap(api.GET('/api/v1/members', { params: { query: { limit, offset } } }))),
      fetchAll((limit, offset) => unwrap(api.GET('/api/v1/teams', { params: { query: { limit, offset } } }))),
      fetchAll((limit, offset) =>
        unwrap(
          api.GET('/api/v1/projects', {
            params: { query: { limit, offset, status: ['approved', 'active', 'closing'] } },
          }),
        ),
      ),
    ]);
    return { members, teams, projects };
  },
  staleTime: 5 * 60 * 1000,
});

function useInvalidateOrders() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all(
      [workOrderKeys.all, ['home'], ['notifications']].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
    );
}

export function useCreateWorkOrder() {
  const invalidate = useInvalidateOrders();
  return useMutation({
    mutationFn: (body: WorkOrderCreate) => unwrap(api.POST('/api/v1/work-orders', { body })),
    onSuccess: invalidate,
  });
}

export interface StepInput {
  order: Pick<WorkOrder, 'id' | 'version'>;
  action: OrderAction;
  /** Only for `reject`. */
  reason?: string;
}

function step({ order, action, reason }: StepInput) {
  const path = { params: { path: { order_id: order.id } } };
  const body = { version: order.version };
  switch (action) {
    case 'accept':
      return unwrap(api.POST('/api/v1/work-orders/{order_id}/accept', { ...path, body }));
    case 'reject':
      return unwrap(
        api.POST('/api/v1/work-orders/{order_id}/reject', { ...path, body: { ...body, reason: reason ?? '' } }),
      );
    case 'start':
      return unwrap(api.POST('/api/v1/work-orders/{order_id}/start', { ...path, body }));
    case 'complete':
      return unwrap(api.POST('/api/v1/work-orders/{order_id}/complete', { ...path, body }));
    case 'verify':
      return unwrap(api.POST('/api/v1/work-orders/{order_id}/verify', { ...path, body }));
    case 'cancel':
      return unwrap(api.POST('/api/v1/work-orders/{order_id}/cancel', { ...path, body }));
  }
}

/** One lifecycle step (accept, reject, start, complete, verify, cancel) at the version read. */
export function useWorkOrderStep() {
  const invalidate = useInvalidateOrders();
  return useMutation({ mutationFn: step, onSettled: invalidate });
}
