import {
  AccountBookOutlined,
  AimOutlined,
  AlertOutlined,
  ApartmentOutlined,
  ApiOutlined,
  AuditOutlined,
  BarChartOutlined,
  CarryOutOutlined,
  CloudUploadOutlined,
  ControlOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  FileDoneOutlined,
  FundOutlined,
  HeatMapOutlined,
  HomeOutlined,
  KeyOutlined,
  LockOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  NotificationOutlined,
  ProjectOutlined,
  SettingOutlined,
  SolutionOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Avatar, Button, Dropdown, Flex, Layout, Menu, Tag, Typography, theme } from 'antd';
import type { MenuProps } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { LanguageSwitch } from '@/components/LanguageSwitch';
import { InvitationBanner } from '@/features/account/InvitationBanner';
import { NotificationBell } from '@/features/notifications/NotificationBell';
import { paths } from '@/lib/paths';
import { ROLE_COLORS } from '@/lib/roles';
import { useLogout, useSession } from '@/lib/session';
import { navigationFor, type NavIcon } from './navigation';

const ICONS: Record<NavIcon, ReactNode> = {
  home: <HomeOutlined />,
  checkin: <CarryOutOutlined />,
  team: <TeamOutlined />,
  group: <ApartmentOutlined />,
  key: <KeyOutlined />,
  audit: <AuditOutlined />,
  setting: <SettingOutlined />,
  approval: <FileDoneOutlined />,
  aim: <AimOutlined />,
  project: <ProjectOutlined />,
  order: <SolutionOutlined />,
  resource: <DatabaseOutlined />,
  workload: <HeatMapOutlined />,
  cost: <AccountBookOutlined />,
  channel: <FundOutlined />,
  source: <ApiOutlined />,
  dashboard: <DashboardOutlined />,
  upload: <CloudUploadOutlined />,
  benchmark: <BarChartOutlined />,
  alert: <AlertOutlined />,
  alertRule: <ControlOutlined />,
  notice: <NotificationOutlined />,
};

/** The longest menu path that prefixes the current location is the selected item. */
function selectedPath(pathname: string, candidates: string[]): string {
  const matches = candidates.filter((p) =>
    p === '/' ? pathname === '/' : pathname === p || pathname.startsWith(`${p}/`),
  );
  return matches.sort((a, b) => b.length - a.length)[0] ?? '';
}

export function AppLayout() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const me = useSession();
  const logout = useLogout();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);

  const sections = navigationFor(me.role, me.permissions);
  const items: MenuProps['items'] = sections
    .map((section) => {
      const children = section.items.map((item) => ({
        key: item.path,
        icon: ICONS[item.icon],
        label: <span data-testid={`nav-${item.path}`}>{t(item.labelKey)}</span>,
      }));
      return section.titleKey
        ? { type: 'group' as const, key: section.key, label: t(section.titleKey), children }
        : children;
    })
    .flat();
  const allPaths = sections.flatMap((s) => s.items.map((i) => i.path));

  const onLogout = () => {
    logout.mutate(undefined, { onSettled: () => void navigate(paths.login, { replace: true }) });
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        trigger={null}
        width={220}
        breakpoint="lg"
        theme="dark"
        data-testid="sider"
        style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}
      >
        <Flex
          align="center"
          gap={10}
          style={{
            height: 64,
            padding: collapsed ? '0 24px' : '0 20px',
            color: '#fff',
            whiteSpace: 'nowrap',
            overflow: 'hidden',
          }}
        >
          <img src="/favicon.svg" alt="" width={28} height={28} />
          {!collapsed ? (
            <Flex vertical style={{ minWidth: 0, lineHeight: 1.25 }}>
              <span style={{ fontWeight: 600, fontSize: 16 }}>{t('app.name')}</span>
              <span
                style={{ fontSize: 12, opacity: 0.7, overflow: 'hidden', textOverflow: 'ellipsis' }}
                title={t('app.title')}
              >
                {t('app.title')}
              </span>
            </Flex>
          ) : null}
        </Flex>
        <Menu
          theme="dark"
          mode="inline"
          items={items}
          selectedKeys={[selectedPath(location.pathname, allPaths)]}
          onClick={({ key }) => void navigate(key)}
          data-testid="nav-menu"
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: token.colorBgContainer,
            padding: '0 16px 0 8px',
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            position: 'sticky',
            top: 0,
            zIndex: 10,
          }}
        >
          <Flex align="center" justify="space-between" style={{ height: '100%' }}>
            <Flex align="center" gap={8} style={{ minWidth: 0 }}>
              <Button
                type="text"
                icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
                onClick={() => setCollapsed(!collapsed)}
                aria-label={t(collapsed ? 'layout.expand' : 'layout.collapse')}
              />
              <Typography.Text strong ellipsis style={{ fontSize: 16 }} data-testid="header-org">
                {me.org.name}
              </Typography.Text>
            </Flex>
            <Flex align="center" gap={8}>
              <NotificationBell />
              <LanguageSwitch />
              <Dropdown
                trigger={['click']}
                placement="bottomRight"
                menu={{
                  items: [
                    { key: 'email', label: me.user.email, disabled: true },
                    { type: 'divider' },
                    {
                      key: paths.account.password,
                      icon: <LockOutlined />,
                      label: <span data-testid="menu-password">{t('account.menu.password')}</span>,
                    },
                  ],
                  onClick: ({ key }) => void navigate(key),
                }}
              >
                <Flex
                  align="center"
                  gap={8}
                  data-testid="account"
                  aria-label={t('layout.account')}
                  role="button"
                  tabIndex={0}
                  style={{ cursor: 'pointer' }}
                >
                  <Avatar size="small" icon={<UserOutlined />} style={{ background: token.colorPrimary }} />
                  <span data-testid="header-user">{me.user.name}</span>
                  <Tag color={ROLE_COLORS[me.role]} style={{ marginInlineEnd: 0 }} data-testid="header-role">
                    {t(`roles.${me.role}`)}
                  </Tag>
                </Flex>
              </Dropdown>
              <Button icon={<LogoutOutlined />} onClick={onLogout} loading={logout.isPending} data-testid="logout">
                {t('auth.logout')}
              </Button>
            </Flex>
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <InvitationBanner />
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
