import { createBrowserRouter, type RouteObject } from 'react-router';
import { StatusResult } from '@/components/StatusResult';
import { newProjectPath, paths } from '@/lib/paths';
import { PERMISSIONS } from '@/lib/permissions';
import { AppLayout } from './AppLayout';
import { RouteError } from './RouteError';
import { RequireAuth, RequirePermission } from './guards';
import { lazyPage } from './lazyPage';
import { SuspenseOutlet } from './SuspenseOutlet';

/*
 * Every page is its own chunk, downloaded when first shown: the first visit loads only the
 * shell (providers, guards, layout) and the page it lands on. Features import nothing of each
 * other, so a feature's libraries stay in that feature's chunks.
 */
const LoginPage = lazyPage(() => import('@/features/auth/LoginPage').then((m) => m.LoginPage));
const HomePage = lazyPage(() => import('@/features/home/HomePage').then((m) => m.HomePage));
const MembersPage = lazyPage(() => import('@/features/members/MembersPage').then((m) => m.MembersPage));
const ApiTokensPage = lazyPage(() => import('@/features/api-tokens/ApiTokensPage').then((m) => m.ApiTokensPage));
const AuditLogPage = lazyPage(() => import('@/features/audit/AuditLogPage').then((m) => m.AuditLogPage));
const OrgSettingsPage = lazyPage(() => import('@/features/settings/OrgSettingsPage').then((m) => m.OrgSettingsPage));
const StrategyPage = lazyPage(() => import('@/features/strategy/StrategyPage').then((m) => m.StrategyPage));
const ProjectListPage = lazyPage(() => import('@/features/projects/ProjectListPage').then((m) => m.ProjectListPage));
const NewProjectPage = lazyPage(() => import('@/features/projects/NewProjectPage').then((m) => m.NewProjectPage));
const ProjectDetailPage = lazyPage(() =>
  import('@/features/projects/ProjectDetailPage').then((m) => m.ProjectDetailPage),
);
const ApprovalsPage = lazyPage(() => import('@/features/approvals/ApprovalsPage').then((m) => m.ApprovalsPage));
const WorkOrdersPage = lazyPage(() => import('@/features/orders/WorkOrdersPage').then((m) => m.WorkOrdersPage));
const TaskListPage = lazyPage(() => import('@/features/work/TaskListPage').then((m) => m.TaskListPage));
const TaskBoardPage = lazyPage(() => import('@/features/work/TaskBoardPage').then((m) => m.TaskBoardPage));
const TaskRedirect = lazyPage(() => import('@/features/work/TaskRedirect').then((m) => m.TaskRedirect));
const GanttPage = lazyPage(() => import('@/features/work/GanttPage').then((m) => m.GanttPage));
const CheckInsPage = lazyPage(() => import('@/features/checkins/CheckInsPage').then((m) => m.CheckInsPage));
const IssuesPage = lazyPage(() => import('@/features/risks/IssuesPage').then((m) => m.IssuesPage));
const IssueRedirect = lazyPage(() => import('@/features/risks/IssueRedirect').then((m) => m.IssueRedirect));
const TeamsPage = lazyPage(() => import('@/features/teams/TeamsPage').then((m) => m.TeamsPage));
const ChangePasswordPage = lazyPage(() =>
  import('@/features/account/ChangePasswordPage').then((m) => m.ChangePasswordPage),
);

const ResourcesPage = lazyPage(() => import('@/features/resources/ResourcesPage').then((m) => m.ResourcesPage));
const WorkloadPage = lazyPage(() => import('@/features/resources/WorkloadPage').then((m) => m.WorkloadPage));

const CostsToVerifyPage = lazyPage(() =>
  import('@/features/finance/CostsToVerifyPage').then((m) => m.CostsToVerifyPage),
);
const CostDiscussionPage = lazyPage(() =>
  import('@/features/finance/CostDiscussionPage').then((m) => m.CostDiscussionPage),
);

const ChannelsPage = lazyPage(() => import('@/features/channels/ChannelsPage').then((m) => m.ChannelsPage));
const SourcesPage = lazyPage(() => import('@/features/channels/SourcesPage').then((m) => m.SourcesPage));
const ChannelDashboardPage = lazyPage(() =>
  import('@/features/channels/ChannelDashboardPage').then((m) => m.ChannelDashboardPage),
);
const ChannelUploadPage = lazyPage(() =>
  import('@/features/channels/ChannelUploadPage').then((m) => m.ChannelUploadPage),
);
const BenchmarksPage = lazyPage(() => import('@/features/channels/BenchmarksPage').then((m) => m.BenchmarksPage));

const AlertsPage = lazyPage(() => import('@/features/alerts/AlertsPage').then((m) => m.AlertsPage));
const AlertDetailPage = lazyPage(() => import('@/features/alerts/AlertDetailPage').then((m) => m.AlertDetailPage));
const AlertRulesPage = lazyPage(() => import('@/features/alerts/RulesPage').then((m) => m.RulesPage));
const NotificationChannelsPage = lazyPage(() =>
  import('@/features/alerts/NotificationChannelsPage').then((m) => m.NotificationChannelsPage),
);

const BattleMapPage = lazyPage(() => import('@/features/battlemap/BattleMapPage').then((m) => m.BattleMapPage));

/** Paths are relative children of "/", so strip the leading slash. */
const child = (path: string) => path.replace(/^\//, '');

export const routes: RouteObject[] = [
  {
    element: <SuspenseOutlet />,
    errorElement: <RouteError />,
    children: [
      { path: paths.login, element: <LoginPage />, errorElement: <RouteError /> },
      {
        element: <RequireAuth />,
        errorElement: <RouteError />,
        children: [
          {
            path: paths.home,
            element: <AppLayout />,
            children: [
              {
                // A page that crashes shows the error inside the layout, so the menu still works;
                // a page whose code is downloading shows the fallback there too.
                element: <SuspenseOutlet />,
                errorElement: <RouteError />,
                children: [
                  { index: true, element: <HomePage /> },
                  {
                    path: child(paths.admin.members),
                    element: (
                      <RequirePermission permission={PERMISSIONS.membersRead}>
                        <MembersPage />
                      </RequirePermission>
                    ),
                  },
                  {
                    path: child(paths.admin.apiTokens),
                    element: (
                      <RequirePermission permission={PERMISSIONS.apiTokensManage}>
                        <ApiTokensPage />
                      </RequirePermission>
                    ),
                  },
                  {
                    path: child(paths.admin.auditLogs),
                    element: (
                      <RequirePermission permission={PERMISSIONS.auditRead}>
                        <AuditLogPage />
                      </RequirePermission>
                    ),
                  },
                  { path: child(paths.admin.settings), element: <OrgSettingsPage /> },
                  {
                    path: child(paths.modules.strategy),
                    element: (
                      <RequirePermission permission={PERMISSIONS.strategyRead}>
                        <StrategyPage />
                      </RequirePermission>
                    ),
                  },
                  {
                    path: child(paths.modules.projects),
                    element: (
                      <RequirePermission permission={PERMISSIONS.projectsRead}>
                        <ProjectListPage />
                      </RequirePermission>
                    ),
                  },
                  {
                    path: child(newProjectPath),
                    element: (
                      <RequirePermission permission={PERMISSIONS.projectsWrite}>
                        <NewProjectPage />
                      </RequirePermission>
                    ),
                  },
                  {
                    path: `${child(paths.modules.projects)}/:projectId`,
                    element: (
                      <RequirePermission permission={PERMISSIONS.projectsRead}>
                        <ProjectDetailPage />
                      </RequirePermission>
                    ),
                  },
                  // A project's work: its task list, board and Gantt.
                  ...(
                    [
                      ['tasks', <TaskListPage key="tasks" />],
                      ['board', <TaskBoardPage key="board" />],
                      ['gantt', <GanttPage key="gantt" />],
                    ] as const
                  ).map(([view, page]) => ({
                    path: `${child(paths.modules.projects)}/:projectId/${view}`,
                    element: <RequirePermission permission={PERMISSIONS.projectsRead}>{page}</RequirePermission>,
                  })),
                  {
                    path: child(paths.modules.approvals),
                    element: (
                      <RequirePermission permission={PERMISSIONS.approvalsRead}>
                        <ApprovalsPage />
                      </RequirePermission>
                    ),
                  },
                  {
                    path: child(paths.modules.workOrders),
                    element: (
                      <RequirePermission permission="work:write">
                        <WorkOrdersPage />
                      </RequirePermission>
                    ),
                  },
                  {
                    path: child(paths.modules.checkIns),
                    element: (
                      <RequirePermission permission="work:write">
                        <CheckInsPage />
                      </RequirePermission>
                    ),
                  },
                  {
                    path: 'tasks/:taskId',
                    element: (
                      <RequirePermission permission={PERMISSIONS.projectsRead}>
                        <TaskRedirect />
                      </RequirePermission>
                    ),
                  },
                  {
                    path: 'issues/:issueId',
                    element: (
                      <RequirePermission permission={PERMISSIONS.projectsRead}>
                        <IssueRedirect />
                      </RequirePermission>
                    ),
                  },
                  {
                    path: child(paths.modules.costsToVerify),
                    element: (
                      <RequirePermission permission={PERMISSIONS.costsVerify}>
                        <CostsToVerifyPage />
                      </RequirePermission>
                    ),
                  },
                  {
                    path: 'costs/:costId',
                    element: (
                      <RequirePermission permission={PERMISSIONS.budgetRead}>
                        <CostDiscussionPage />
                      </RequirePermission>
                    ),
                  },
                  {
                    path: `${child(paths.modules.projects)}/:projectId/issues`,
                    element: (
                      <RequirePermission permission={PERMISSIONS.projectsRead}>
                        <IssuesPage />
                      </RequirePermission>
                    ),
                  },
                  {
                    path: child(paths.teams),
                    element: (
                      <RequirePermission permission={PERMISSIONS.teamsManage}>
                        <TeamsPage />
                      </RequirePermission>
                    ),
                  },
                  {
                    path: `${child(paths.modules.projects)}/:projectId/battle-map`,
                    element: (
                      <RequirePermission permission={PERMISSIONS.projectsRead}>
                        <BattleMapPage />
                      </RequirePermission>
                    ),
                  },
                  {
                    path: child(paths.modules.resources),
                    element: (
                      <RequirePermission permission={PERMISSIONS.resourcesRead}>
                        <ResourcesPage />
                      </RequirePermission>
                    ),
                  },
                  {
                    path: child(paths.modules.workload),
                    element: (
                      <RequirePermission permission={PERMISSIONS.resourcesRead}>
                        <WorkloadPage />
                      </RequirePermission>
                    ),
                  },
                  {
                    path: child(paths.modules.channelDashboard),
                    element: (
                      <RequirePermission permission="channels:read">
                        <ChannelDashboardPage />
                      </RequirePermission>
                    ),
                  },
                  {
                    path: child(paths.modules.channelUpload),
                    element: (
                      <RequirePermission permission="channel_data:send">
                        <ChannelUploadPage />
                      </RequirePermission>
                    ),
                  },
                  {
                    path: child(paths.modules.channelBenchmarks),
                    element: (
                      <RequirePermission permission="channels:read">
                        <BenchmarksPage />
                      </RequirePermission>
                    ),
                  },
                  {
                    path: child(paths.modules.channels),
                    element: (
                      <RequirePermission permission="channels:read">
                        <ChannelsPage />
                      </RequirePermission>
                    ),
                  },
                  {
                    path: child(paths.modules.channelSources),
                    element: (
                      <RequirePermission permission="channels:read">
                        <SourcesPage />
                      </RequirePermission>
                    ),
                  },
                  {
                    path: child(paths.modules.alerts),
                    element: (
                      <RequirePermission permission={PERMISSIONS.alertsRead}>
                        <AlertsPage />
                      </RequirePermission>
                    ),
                  },
                  {
                    path: child(paths.modules.alertRules),
                    element: (
                      <RequirePermission permission={PERMISSIONS.alertsRead}>
                        <AlertRulesPage />
                      </RequirePermission>
                    ),
                  },
                  {
                    // One alert: in-app notifications and outbound notices link here.
                    path: `${child(paths.modules.alerts)}/:alertId`,
                    element: (
                      <RequirePermission permission={PERMISSIONS.alertsRead}>
                        <AlertDetailPage />
                      </RequirePermission>
                    ),
                  },
                  {
                    path: child(paths.modules.notificationChannels),
                    element: (
                      <RequirePermission permission={PERMISSIONS.notificationChannelsManage}>
                        <NotificationChannelsPage />
                      </RequirePermission>
                    ),
                  },
                  // Every role changes their own password.
                  { path: child(paths.account.password), element: <ChangePasswordPage /> },
                  { path: '*', element: <StatusResult kind="notFound" /> },
                ],
              },
            ],
          },
        ],
      },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}
