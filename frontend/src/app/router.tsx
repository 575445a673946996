import { createBrowserRouter, type RouteObject } from 'react-router';
import { StatusResult } from '@/components/StatusResult';
import { ApiTokensPage } from '@/features/api-tokens/ApiTokensPage';
import { ChangePasswordPage } from '@/features/account/ChangePasswordPage';
import { ApprovalsPage } from '@/features/approvals/ApprovalsPage';
import { AuditLogPage } from '@/features/audit/AuditLogPage';
import { LoginPage } from '@/features/auth/LoginPage';
import { HomePage } from '@/features/home/HomePage';
import { MembersPage } from '@/features/members/MembersPage';
import { NewProjectPage } from '@/features/projects/NewProjectPage';
import { ProjectDetailPage } from '@/features/projects/ProjectDetailPage';
import { ProjectListPage } from '@/features/projects/ProjectListPage';
import { OrgSettingsPage } from '@/features/settings/OrgSettingsPage';
import { TeamsPage } from '@/features/teams/TeamsPage';
import { StrategyPage } from '@/features/strategy/StrategyPage';
import { newProjectPath, paths } from '@/lib/paths';
import { PERMISSIONS } from '@/lib/permissions';
import { AppLayout } from './AppLayout';
import { RouteError } from './RouteError';
import { RequireAuth, RequirePermission } from './guards';

/** Paths are relative children of "/", so strip the leading slash. */
const child = (path: string) => path.replace(/^\//, '');

export const routes: RouteObject[] = [
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
            // A page that crashes shows the error inside the layout, so the menu still works.
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
              {
                path: child(paths.modules.approvals),
                element: (
                  <RequirePermission permission={PERMISSIONS.approvalsRead}>
                    <ApprovalsPage />
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
              // Every role changes their own password.
              { path: child(paths.account.password), element: <ChangePasswordPage /> },
              { path: '*', element: <StatusResult kind="notFound" /> },
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
