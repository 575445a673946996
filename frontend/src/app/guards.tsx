import { Button, Flex, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';
import { StatusResult } from '@/components/StatusResult';
import { errorText } from '@/lib/errorText';
import { paths } from '@/lib/paths';
import { hasPermission, type Permission } from '@/lib/permissions';
import { SessionContext, useMe, useSession } from '@/lib/session';

export function FullPageSpinner() {
  const { t } = useTranslation();
  return (
    <Flex align="center" justify="center" style={{ minHeight: '100vh' }} data-testid="app-loading">
      <Spin size="large" tip={t('common.loading')}>
        <div style={{ width: 120, height: 80 }} />
      </Spin>
    </Flex>
  );
}

/** GET /me decides: a session renders the app, no session goes to /login. */
export function RequireAuth() {
  const { t } = useTranslation();
  const location = useLocation();
  const me = useMe();

  if (me.isPending) return <FullPageSpinner />;
  if (me.isError && me.data === undefined) {
    return (
      <Result
        status="error"
        title={t('errors.generic')}
        subTitle={errorText(me.error, t)}
        extra={<Button onClick={() => void me.refetch()}>{t('common.retry')}</Button>}
      />
    );
  }
  if (!me.data) {
    const from = `${location.pathname}${location.search}`;
    return <Navigate to={paths.login} replace state={from === paths.home ? undefined : { from }} />;
  }
  return (
    <SessionContext.Provider value={me.data}>
      <Outlet />
    </SessionContext.Provider>
  );
}

/** Pages that need a permission show a 403 instead of a broken page. */
export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const me = useSession();
  if (!hasPermission(me, permission)) return <StatusResult kind="forbidden" />;
  return <>{children}</>;
}
