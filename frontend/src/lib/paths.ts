/** Every route path in one place; links and the router both read from here. */
export const paths = {
  login: '/login',
  home: '/',
  admin: {
    members: '/admin/members',
    apiTokens: '/admin/api-tokens',
    auditLogs: '/admin/audit-logs',
    settings: '/admin/settings',
  },
  /** The signed-in person's own account (every role): 修改密码. */
  account: {
    password: '/account/password',
  },
  /** Teams (团队): admins and directors form them; goals and projects are owned by them. */
  teams: '/teams',
  // The modules that are built; a module enters the menu and the router when its page exists.
  modules: {
    /** 每日打卡: my check-in and its history, my teams' roll-call. */
    checkIns: '/checkins',
    approvals: '/approvals',
    strategy: '/strategy',
    projects: '/projects',
    /** 工单: the inbox of work asked of me and my teams, and what I asked of others. */
    workOrders: '/work-orders',
    /** 资源库: people, materials, ad channels, vendors and venues, and their bookings. */
    resources: '/resources',
    /** 工作负荷: each person's load per week across every project (the heat map). */
    workload: '/workload',
    /** 待核验成本: the organisation's costs across its projects, for finance to verify. */
    costsToVerify: '/finance/costs',
    /** 渠道看板: spend, results and returns by channel over a range, against benchmarks and the days before. */
    channelDashboard: '/channels/dashboard',
    /** 渠道与广告计划: the ad channels, their campaigns and the projects whose money they spend. */
    channels: '/channels',
    /** 数据源: where channel data comes from (REST, uploads, signed webhooks) and its last deliveries. */
    channelSources: '/channels/sources',
    /** 上传渠道数据: an ad platform's export (CSV or Excel), previewed and mapped, then imported as a batch. */
    channelUpload: '/channels/upload',
    /** 行业基准: the industry benchmarks channel data is compared with, and the organisation's industry. */
    channelBenchmarks: '/channels/benchmarks',
    /** 预警中心: the alerts channel data raised, open first, each with what to do about it. */
    alerts: '/alerts',
    /** 预警规则: what is watched (metric, threshold or benchmark, scope, window) and a run-now. */
    alertRules: '/alerts/rules',
    /** 通知渠道: the chat bots, webhooks and e-mail alerts are sent to, with their delivery log. */
    notificationChannels: '/settings/notification-channels',
  },
} as const;

export type ModuleKey = keyof typeof paths.modules;

/** The new-project wizard. */
export const newProjectPath = '/projects/new';

/** One project's page. */
export function projectPath(id: string, tab?: 'budget' | 'costs'): string {
  return `/projects/${encodeURIComponent(id)}${tab ? `?tab=${tab}` : ''}`;
}

/** A cost known only by its id (a mention on it): its receipts and comments. */
export function costPath(id: string): string {
  return `/costs/${encodeURIComponent(id)}`;
}

/** The approval centre with one request open, in a box the reader has (`mine`: requests they raised). */
export function approvalPath(id: string, box: 'inbox' | 'mine' | 'all' = 'mine'): string {
  return `${paths.modules.approvals}?box=${box}&open=${encodeURIComponent(id)}`;
}

/** One alert (in-app notifications and outbound notices link here). */
export function alertPath(id: string): string {
  return `/alerts/${encodeURIComponent(id)}`;
}

/** The upload page with a data source chosen (its saved mapping, channel and currency apply). */
export function channelUploadPath(sourceId: string): string {
  return `${paths.modules.channelUpload}?source=${encodeURIComponent(sourceId)}`;
}

/** The strategy page opened on one goal (its period chosen, the goal in view). */
export function goalPath(id: string): string {
  return `/strategy?goal=${encodeURIComponent(id)}`;
}

/** A project's battle map (作战地图): the whole project on one screen. */
export function projectBattleMapPath(id: string): string {
  return `/projects/${encodeURIComponent(id)}/battle-map`;
}

/** A project's task list (WBS), board and Gantt; `task` opens one task's form on the list. */
/** A task known only by its id (opens in its project's task list). */
export function taskPath(id: string): string {
  return `/tasks/${encodeURIComponent(id)}`;
}

export function projectTasksPath(id: string, task?: string): string {
  const base = `/projects/${encodeURIComponent(id)}/tasks`;
  return task ? `${base}?task=${encodeURIComponent(task)}` : base;
}

export function projectBoardPath(id: string): string {
  return `/projects/${encodeURIComponent(id)}/board`;
}

export function projectGanttPath(id: string): string {
  return `/projects/${encodeURIComponent(id)}/gantt`;
}

/** A project's issue and risk log (问题与风险); `issue` opens one issue's details there. */
export function projectIssuesPath(id: string, issue?: string): string {
  const base = `/projects/${encodeURIComponent(id)}/issues`;
  return issue ? `${base}?issue=${encodeURIComponent(issue)}` : base;
}

/** An issue or risk known only by its id (opens in its project's log). */
export function issuePath(id: string): string {
  return `/issues/${encodeURIComponent(id)}`;
}

/** The work orders (工单) opened on one order's details, over the list of `box`. */
export function workOrderPath(id: string, box?: 'inbox' | 'sent' | 'team'): string {
  const query = new URLSearchParams(box ? { box, open: id } : { open: id });
  return `${paths.modules.workOrders}?${query.toString()}`;
}
