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
  one: (id: string) => ['work-orders', 'one', id] as const,
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

/** One work order (its details, opened from the list, an address or a notification). */
export function workOrderQuery(id: string) {
  return queryOptions({
    queryKey: workOrderKeys.one(id),
    queryFn: () => unwrap(api.GET('/api/v1/work-orders/{order_id}', { params: { path: { order_id: id } } })),
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

/** The transitions route's body: `action` picks its shape (a reject carries its reason). */
export type TransitionBody = components['schemas']['WorkOrderStepIn'] | components['schemas']['WorkOrderRejectIn'];

export function transitionBody({ order, action, reason }: StepInput): TransitionBody {
  return action === 'reject'
    ? { action, version: order.version, reason: reason ?? '' }
    : { action, version: order.version };
}

function step(input: StepInput) {
  return unwrap(
    api.POST('/api/v1/work-orders/{order_id}/transitions', {
      params: { path: { order_id: input.order.id } },
      body: transitionBody(input),
    }),
  );
}

/** One lifecycle step (accept, reject, start, complete, verify, cancel) at the version read. */
export function useWorkOrderStep() {
  const invalidate = useInvalidateOrders();
  return useMutation({ mutationFn: step, onSettled: invalidate });
}
