import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { components } from '@/api/schema';

export type CheckIn = components['schemas']['DailyCheckInRead'];
export type CheckInPut = components['schemas']['DailyCheckInPut'];
export type MyDay = components['schemas']['MyDayRead'];
export type OwnTask = components['schemas']['OwnTaskRead'];
export type OwnTaskStatus = components['schemas']['OwnTaskStatus'];
export type RollCall = components['schemas']['RollCallRead'];
export type TeamRollCall = components['schemas']['TeamRollCallRead'];

export const checkInKeys = {
  all: ['checkins'] as const,
  day: (day: string) => ['checkins', 'me', day] as const,
  history: (from: string | undefined, to: string | undefined, offset: number) =>
    ['checkins', 'history', from ?? null, to ?? null, offset] as const,
  everyone: (day: string | undefined, teamId: string | undefined, offset: number) =>
    ['checkins', 'everyone', day ?? null, teamId ?? null, offset] as const,
  rollCall: (day: string | undefined, teamId: string | undefined) =>
    ['checkins', 'roll-call', day ?? null, teamId ?? null] as const,
};

/** The caller's check-in form of a day (`today`: the organisation's today). */
export function myDayQuery(day = 'today') {
  return queryOptions({
    queryKey: checkInKeys.day(day),
    queryFn: () => unwrap(api.GET('/api/v1/checkins/me/{day}', { params: { path: { day } } })),
  });
}

export const HISTORY_PAGE = 20;

/** The caller's own check-ins, newest first (the last 30 days unless `from` says otherwise). */
export function myHistoryQuery(from: string | undefined, to: string | undefined, offset: number) {
  return queryOptions({
    queryKey: checkInKeys.history(from, to, offset),
    queryFn: () =>
      unwrap(api.GET('/api/v1/checkins/me', { params: { query: { from, to, limit: HISTORY_PAGE, offset } } })),
    placeholderData: keepPreviousData,
  });
}

/** Everyone's check-ins of a day, with their content (planners only). */
export function everyonesQuery(day: string | undefined, teamId: string | undefined, offset: number) {
  return queryOptions({
    queryKey: checkInKeys.everyone(day, teamId, offset),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/checkins', {
          params: { query: { day, team_id: teamId, limit: HISTORY_PAGE, offset } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** Per team, who has and who has not checked in on a day. */
export function rollCallQuery(day: string | undefined, teamId?: string) {
  return queryOptions({
    queryKey: checkInKeys.rollCall(day, teamId),
    queryFn: () => unwrap(api.GET('/api/v1/checkins/status', { params: { query: { day, team_id: teamId } } })),
  });
}

/** Make or change the caller's check-in of a day; its task updates are saved with it. */
export function usePutCheckIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ day, body }: { day: string; body: CheckInPut }) =>
      unwrap(api.PUT('/api/v1/checkins/me/{day}', { params: { path: { day } }, body })),
    onSuccess: () =>
      Promise.all([checkInKeys.all, ['home'], ['work']].map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  });
}
