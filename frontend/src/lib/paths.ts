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
  },
} as const;

export type ModuleKey = keyof typeof paths.modules;

/** The new-project wizard. */
export const newProjectPath = '/projects/new';

/** One project's page. */
export function projectPath(id: string): string {
  return `/projects/${encodeURIComponent(id)}`;
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

/** A project's issue and risk log (问题与风险). */
export function projectIssuesPath(id: string): string {
  return `/projects/${encodeURIComponent(id)}/issues`;
}
