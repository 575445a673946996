import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import { fetchAll } from '@/api/fetchAll';
import type { components, operations } from '@/api/schema';

type JsonOf<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

// A channel's shapes are named by their endpoints: "ChannelRead" is also a notification
// channel's schema name, so the generator may qualify either one.
export type Channel = JsonOf<operations['channels-get_channel']['responses'][200]>;
export type ChannelCreate = JsonOf<operations['channels-create_channel']['requestBody']>;
export type ChannelUpdate = JsonOf<operations['channels-update_channel']['requestBody']>;
export type ChannelKind = components['schemas']['ChannelKind'];
export type Campaign = components['schemas']['CampaignRead'];
export type CampaignCreate = components['schemas']['CampaignCreate'];
export type CampaignUpdate = components['schemas']['CampaignUpdate'];
export type CampaignStatus = components['schemas']['CampaignStatus'];
export type CampaignRow = components['schemas']['MetricRowRead'];
export type Source = components['schemas']['SourceRead'];
export type SourceCreate = components['schemas']['SourceCreate'];
export type SourceUpdate = components['schemas']['SourceUpdate'];
export type SourceKind = components['schemas']['SourceKind'];
export type SourceSecret = components['schemas']['SourceSecretRead'];
export type Project = components['schemas']['ProjectRead'];
export type Batch = components['schemas']['BatchRead'];
export type BatchStatus = components['schemas']['BatchStatus'];
export type Dashboard = components['schemas']['DashboardRead'];
// Taken from the dashboard rather than by schema name: a figures model shares its name easily.
export type Figures = Dashboard['totals'];
export type ChannelFigures = components['schemas']['ChannelFiguresRead'];
export type CampaignFigures = components['schemas']['CampaignFiguresRead'];
export type ChannelTrend = components['schemas']['ChannelTrendRead'];
export type Quadrant = ChannelFigures['quadrant'];
export type UploadPreview = components['schemas']['ChannelUploadPreviewRead'];
export type UploadRow = components['schemas']['ChannelUploadRowRead'];
export type UploadProblem = components['schemas']['ChannelUploadProblemRead'];

/** What the dashboard is asked for: the days (YYYY-MM-DD, both included), one channel, one project. */
export interface DashboardFilters {
  from: string;
  to: string;
  channel_id?: string;
  project_id?: string;
}

export interface CampaignFilters {
  channel_id?: string;
  q?: string;
  limit: number;
  offset: number;
}

export const channelKeys = {
  all: ['channels'] as const,
  channels: ['channels', 'list'] as const,
  campaigns: (filters: CampaignFilters) => ['channels', 'campaigns', filters] as const,
  records: (campaignId: string, from: string, to: string) => ['channels', 'records', campaignId, from, to] as const,
  projects: ['channels', 'projects'] as const,
  sources: ['channels', 'sources'] as const,
  secret: (sourceId: string) => ['channels', 'sources', sourceId, 'secret'] as const,
  batches: (sourceId: string) => ['channels', 'batches', sourceId] as const,
  batch: (batchId: string) => ['channels', 'batch', batchId] as const,
  dashboard: (filters: DashboardFilters) => ['channels', 'dashboard', filters] as const,
};

/** How many of a source's deliveries its drawer lists, newest first. */
export const LAST_DELIVERIES = 10;
/** How often the deliveries are asked again while one is still being written. */
export const PENDING_REFRESH_MS = 3000;

export const channelsQuery = queryOptions({
  queryKey: channelKeys.channels,
  queryFn: () => unwrap(api.GET('/api/v1/channels')),
});

export function campaignsQuery(filters: CampaignFilters) {
  return queryOptions({
    queryKey: channelKeys.campaigns(filters),
    queryFn: () => unwrap(api.GET('/api/v1/campaigns', { params: { query: filters } })),
    placeholderData: keepPreviousData,
  });
}

/** A campaign's records as the channel sent them, per day or hour and creative. */
export function campaignRecordsQuery(campaignId: string, from: string, to: string) {
  return queryOptions({
    queryKey: channelKeys.records(campaignId, from, to),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/campaigns/{campaign_id}/records', {
          params: { path: { campaign_id: campaignId }, query: { from, to } },
        }),
      ),
  });
}

/** Every project the reader sees: names for the campaigns' links, and the link picker (must be complete). */
export const projectsQuery = queryOptions({
  queryKey: channelKeys.projects,
  queryFn: () =>
    fetchAll((limit, offset) => unwrap(api.GET('/api/v1/projects', { params: { query: { limit, offset } } }))),
  staleTime: 5 * 60 * 1000,
});

export const sourcesQuery = queryOptions({
  queryKey: channelKeys.sources,
  queryFn: () => unwrap(api.GET('/api/v1/data-sources')),
});

/** A webhook source's signing secret (and Meta's verify token), fetched only when asked to show it. */
export function sourceSecretQuery(sourceId: string) {
  return queryOptions({
    queryKey: channelKeys.secret(sourceId),
    queryFn: () =>
      unwrap(api.GET('/api/v1/data-sources/{source_id}/secret', { params: { path: { source_id: sourceId } } })),
    staleTime: Infinity,
  });
}

/** A source's last deliveries, asked again every few seconds while one is pending. */
export function batchesQuery(sourceId: string) {
  return queryOptions({
    queryKey: channelKeys.batches(sourceId),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/channel-data/batches', {
          params: { query: { source_id: sourceId, limit: LAST_DELIVERIES, offset: 0 } },
        }),
      ),
    refetchInterval: (query) =>
      query.state.data?.items.some((b) => b.status === 'pending') ? PENDING_REFRESH_MS : false,
  });
}

/** The channel dashboard over the days; the last one stays on screen while another range loads. */
export function dashboardQuery(filters: DashboardFilters) {
  return queryOptions({
    queryKey: channelKeys.dashboard(filters),
    queryFn: () => unwrap(api.GET('/api/v1/channel-dashboard', { params: { query: filters } })),
    placeholderData: keepPreviousData,
  });
}

/** One delivery, asked again every few seconds until it is written (or failed). */
export function batchQuery(batchId: string) {
  return queryOptions({
    queryKey: channelKeys.batch(batchId),
    queryFn: () =>
      unwrap(api.GET('/api/v1/channel-data/batches/{batch_id}', { params: { path: { batch_id: batchId } } })),
    refetchInterval: (query) => (query.state.data?.status === 'pending' ? PENDING_REFRESH_MS : false),
  });
}

/** A spreadsheet of channel data and how to read it. */
export interface UploadRequest {
  file: File;
  /** The source whose saved mapping, channel and currency apply. */
  sourceId?: string | null;
  /** The channel's key for rows that name none. */
  channel?: string | null;
  /** Column header → field (null: left out), over the saved and the proposed mapping. */
  mapping?: Record<string, string | null> | null;
  /** Keep the mapping on the source for its next files (channels:manage). */
  saveMapping?: boolean;
}

function uploadForm(request: UploadRequest, commit: boolean): FormData {
  const form = new FormData();
  form.append('file', request.file, request.file.name);
  if (request.sourceId) form.append('source_id', request.sourceId);
  if (request.channel) form.append('channel', request.channel);
  if (request.mapping) form.append('mapping', JSON.stringify(request.mapping));
  if (request.saveMapping) form.append('save_mapping', 'true');
  form.append('commit', commit ? 'true' : 'false');
  return form;
}

function postUpload(form: FormData) {
  return api.POST('/api/v1/channel-data/uploads', {
    // Multipart: the browser sets the boundary.
    body: form as unknown as { file: string },
  });
}

/** Reads the file and checks every row; nothing is stored (200: the preview). */
export function useUploadPreview() {
  return useMutation({
    mutationFn: async (request: UploadRequest) =>
      (await unwrap(postUpload(uploadForm(request, false)))) as UploadPreview,
  });
}

/** Sends every row as one batch (202), or nothing with any problem (422 naming rows[<row>].<field>). */
export function useUploadCommit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (request: UploadRequest) => (await unwrap(postUpload(uploadForm(request, true)))) as Batch,
    // A saved mapping and the source's last delivery changed.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: channelKeys.sources }),
  });
}

function useInvalidateChannels() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: channelKeys.all });
}

export function useCreateChannel() {
  const invalidate = useInvalidateChannels();
  return useMutation({
    mutationFn: (body: ChannelCreate) => unwrap(api.POST('/api/v1/channels', { body })),
    onSuccess: invalidate,
  });
}

/** Adds the common channels (抖音, 快手, 小红书 …) the organisation lacks; answers the whole list. */
export function useAddDefaultChannels() {
  const invalidate = useInvalidateChannels();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/channel-defaults')),
    onSuccess: invalidate,
  });
}

export function useUpdateChannel() {
  const invalidate = useInvalidateChannels();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: ChannelUpdate }) =>
      unwrap(api.PATCH('/api/v1/channels/{channel_id}', { params: { path: { channel_id: id } }, body })),
    onSuccess: invalidate,
  });
}

export function useCreateCampaign() {
  const invalidate = useInvalidateChannels();
  return useMutation({
    mutationFn: (body: CampaignCreate) => unwrap(api.POST('/api/v1/campaigns', { body })),
    onSuccess: invalidate,
  });
}

export function useUpdateCampaign() {
  const invalidate = useInvalidateChannels();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: CampaignUpdate }) =>
      unwrap(api.PATCH('/api/v1/campaigns/{campaign_id}', { params: { path: { campaign_id: id } }, body })),
    onSuccess: invalidate,
  });
}

export function useCreateSource() {
  const invalidate = useInvalidateChannels();
  return useMutation({
    mutationFn: (body: SourceCreate) => unwrap(api.POST('/api/v1/data-sources', { body })),
    onSuccess: invalidate,
  });
}

export function useUpdateSource() {
  const invalidate = useInvalidateChannels();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: SourceUpdate }) =>
      unwrap(api.PATCH('/api/v1/data-sources/{source_id}', { params: { path: { source_id: id } }, body })),
    onSuccess: invalidate,
  });
}

export function useDeleteSource() {
  const invalidate = useInvalidateChannels();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE('/api/v1/data-sources/{source_id}', { params: { path: { source_id: id } } })),
    onSuccess: invalidate,
  });
}

/** A new signing secret: deliveries signed with the old one are refused from now on. */
export function useRotateSecret() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/api/v1/data-sources/{source_id}/secret', { params: { path: { source_id: id } } })),
    onSuccess: (secret, id) => queryClient.setQueryData(channelKeys.secret(id), secret),
  });
}

// ---- industry benchmarks (行业基准) -------------------------------------------------------------

export type Benchmarks = components['schemas']['BenchmarksRead'];
export type BenchmarkCell = components['schemas']['BenchmarkCellRead'];
export type BenchmarkCellIn = components['schemas']['BenchmarkCellIn'];
export type BenchmarkMetric = BenchmarkCellIn['metric'];
export type Industry = components['schemas']['BenchmarksIn']['industry'];
export type ChannelSettings = components['schemas']['ChannelSettingsRead'];

export const benchmarkKeys = {
  all: ['channels', 'benchmarks'] as const,
  grid: (industry: string | null) => ['channels', 'benchmarks', industry ?? 'org'] as const,
  settings: ['channels', 'settings'] as const,
};

/** An industry's grid, or the organisation's own industry's (null). */
export function benchmarksQuery(industry: Industry | null) {
  return queryOptions({
    queryKey: benchmarkKeys.grid(industry),
    queryFn: () => unwrap(api.GET('/api/v1/benchmarks', { params: { query: industry ? { industry } : {} } })),
    placeholderData: keepPreviousData,
  });
}

/** The organisation's industry, with the revision a change must name. */
export const channelSettingsQuery = queryOptions({
  queryKey: benchmarkKeys.settings,
  queryFn: () => unwrap(api.GET('/api/v1/channel-settings')),
});

/**
 * The grid of one industry as the server answers a change to it: put in the cache under that
 * industry (and the organisation's, when it is that one), the dashboard's comparisons refreshed.
 */
function useBenchmarksAnswered() {
  const queryClient = useQueryClient();
  return (grid: Benchmarks) => {
    queryClient.setQueryData(benchmarkKeys.grid(grid.industry), grid);
    if (grid.industry === grid.org_industry) queryClient.setQueryData(benchmarkKeys.grid(null), grid);
    return queryClient.invalidateQueries({ queryKey: ['channels', 'dashboard'] });
  };
}

/** Sets cells of an industry's grid: one edited, or up to 500 imported. */
export function usePutBenchmarks() {
  const answered = useBenchmarksAnswered();
  return useMutation({
    mutationFn: (body: { industry: Industry; items: BenchmarkCellIn[] }) =>
      unwrap(api.PUT('/api/v1/benchmarks', { body })),
    onSuccess: answered,
  });
}

/** Removes the organisation's value of a cell: the shipped one applies again. */
export function useResetBenchmark() {
  const answered = useBenchmarksAnswered();
  return useMutation({
    mutationFn: (cell: { industry: Industry; channel_kind: ChannelKind; metric: BenchmarkMetric }) =>
      unwrap(api.DELETE('/api/v1/benchmarks/{industry}/{channel_kind}/{metric}', { params: { path: cell } })),
    onSuccess: answered,
  });
}

/** Sets the organisation's industry at the revision read (409 when someone changed it since). */
export function usePutChannelSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { industry: Industry; revision: number }) =>
      unwrap(api.PUT('/api/v1/channel-settings', { body })),
    // Stale or not, read it again: the grid shown as the organisation's changes with it.
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: benchmarkKeys.settings }),
        queryClient.invalidateQueries({ queryKey: benchmarkKeys.all }),
        queryClient.invalidateQueries({ queryKey: ['channels', 'dashboard'] }),
      ]),
  });
}
