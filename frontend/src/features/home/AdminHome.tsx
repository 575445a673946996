import {
  ApartmentOutlined,
  AuditOutlined,
  KeyOutlined,
  RightOutlined,
  SettingOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, Col, List, Row, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ProblemAlert } from '@/components/ProblemAlert';
import { PageHeader } from '@/components/PageHeader';
import { formatDateTime } from '@/lib/format';
import { paths } from '@/lib/paths';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import { memberCountQuery, recentAuditQuery, teamCountQuery } from './api';
import { KpiRow } from './components';

export function AdminHome() {
  const { t } = useTranslation();
  const me = useSession();
  const canReadMembers = hasPermission(me, PERMISSIONS.membersRead);
  const canReadAudit = hasPermission(me, PERMISSIONS.auditRead);
  const memberCount = useQuery({ ...memberCountQuery, enabled: canReadMembers });
  const recentAudit = useQuery({ ...recentAuditQuery, enabled: canReadAudit });
  const canManageTeams = hasPermission(me, PERMISSIONS.teamsManage);
  const teamCount = useQuery({ ...teamCountQuery, enabled: canManageTeams });

  const links = [
    {
      to: paths.admin.members,
      icon: <TeamOutlined />,
      label: t('home.admin.manageMembers'),
      testId: 'admin-link-members',
    },
    {
      to: paths.teams,
      icon: <ApartmentOutlined />,
      label: t('home.admin.manageTeams'),
      testId: 'admin-link-teams',
    },
    {
      to: paths.admin.apiTokens,
      icon: <KeyOutlined />,
      label: t('home.admin.manageTokens'),
      testId: 'admin-link-tokens',
    },
    {
      to: paths.admin.auditLogs,
      icon: <AuditOutlined />,
      label: t('home.admin.viewAudit'),
      testId: 'admin-link-audit',
    },
    {
      to: paths.admin.settings,
      icon: <SettingOutlined />,
      label: t('home.admin.orgSettings'),
      testId: 'admin-link-settings',
    },
  ];

  return (
    <>
      <PageHeader title={t('home.admin.title')} subtitle={t('home.admin.subtitle')} testId="home-admin" />
      <KpiRow
        items={[
          ...(canReadMembers
            ? [
                {
                  key: 'members',
                  title: t('home.admin.members'),
                  value: memberCount.data,
                  icon: <TeamOutlined />,
                  to: paths.admin.members,
                },
              ]
            : []),
          ...(canManageTeams
            ? [
                {
                  key: 'teams',
                  title: t('home.admin.teams'),
                  value: teamCount.data,
                  icon: <ApartmentOutlined />,
                  to: paths.teams,
                },
              ]
            : []),
          { key: 'timezone', title: t('home.admin.timezone'), value: me.org.timezone },
          { key: 'currency', title: t('home.admin.currency'), value: me.org.currency },
          {
            key: 'locale',
            title: t('home.admin.locale'),
            value: t(`lang.${me.org.locale}`, { defaultValue: me.org.locale }),
          },
        ]}
      />
      {memberCount.error ? <ProblemAlert error={memberCount.error} onRetry={() => void memberCount.refetch()} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <Card title={t('home.admin.quickLinks')} variant="borderless">
            <List
              dataSource={links}
              renderItem={(link) => (
                <List.Item>
                  <Link to={link.to} data-testid={link.testId} style={{ display: 'flex', width: '100%', gap: 12 }}>
                    <span>{link.icon}</span>
                    <span style={{ flex: 1 }}>{link.label}</span>
                    <RightOutlined />
                  </Link>
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card
            title={t('home.admin.recentChanges')}
            variant="borderless"
            extra={canReadAudit ? <Link to={paths.admin.auditLogs}>{t('home.admin.viewAll')}</Link> : null}
          >
            {recentAudit.error ? <ProblemAlert error={recentAudit.error} /> : null}
            <List
              loading={recentAudit.isLoading}
              locale={{ emptyText: t('home.admin.noChanges') }}
              dataSource={recentAudit.data ?? []}
              renderItem={(entry) => (
                <List.Item>
                  <List.Item.Meta
                    title={
                      <>
                        <Tag>{t(`audit.actions.${entry.action}`, { defaultValue: entry.action })}</Tag>
                        {t(`audit.entities.${entry.entity_type}`, { defaultValue: entry.entity_type })}
                        {entry.entity_label ? ` · ${entry.entity_label}` : ''}
                      </>
                    }
                    description={
                      <Typography.Text type="secondary">
                        {entry.actor_name ?? t('audit.system')} · {formatDateTime(entry.created_at, me.org.timezone)}
                      </Typography.Text>
                    }
                  />
                </List.Item>
              )}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
