import { PlusOutlined, RightOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '@/components/EmptyState';
import { ProblemAlert } from '@/components/ProblemAlert';
import { ProjectStatusTag } from '@/components/ProjectStatusTag';
import { formatDay, formatMoney } from '@/lib/format';
import { newProjectPath, paths, projectPath } from '@/lib/paths';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import { projectListLink, projectsListQuery, type ProjectFilter } from './api';

interface ProjectsCardProps {
  title: string;
  empty: string;
  filter: ProjectFilter;
  /** Offer "new project" when the list is empty (the project manager's own projects). */
  offerCreate?: boolean;
}

/** Up to ten projects (of one manager, in some statuses) with status, dates and budget. */
export function ProjectsCard({ title, empty, filter, offerCreate = false }: ProjectsCardProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const me = useSession();
  const query = useQuery(projectsListQuery(filter));
  const canCreate = offerCreate && hasPermission(me, PERMISSIONS.projectsWrite);
  return (
    <Card
      variant="borderless"
      style={{ height: '100%' }}
      data-testid="panel-projects"
      title={title}
      extra={
        <Link to={projectListLink(filter, paths.modules.projects)}>
          {t('home.approvals.all')} <RightOutlined />
        </Link>
      }
    >
      {query.error ? <ProblemAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      <List
        loading={query.isPending}
        dataSource={query.data?.items ?? []}
        locale={{
          emptyText: (
            <EmptyState
              compact
              description={empty}
              action={
                canCreate ? (
                  <Link to={newProjectPath}>
                    <Button type="primary" icon={<PlusOutlined />}>
                      {t('projects.new')}
                    </Button>
                  </Link>
                ) : null
              }
            />
          ),
        }}
        renderItem={(p) => (
          <List.Item data-testid="panel-project">
            <Flex align="center" gap={12} style={{ width: '100%' }} wrap>
              <Flex vertical style={{ flex: '1 1 220px', minWidth: 0 }}>
                <Link to={projectPath(p.id)}>
                  <Typography.Text strong>{p.name}</Typography.Text>
                </Link>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {p.code} · {formatDay(p.starts_on, locale)} – {formatDay(p.ends_on, locale)}
                </Typography.Text>
              </Flex>
              <Typography.Text style={{ flex: 'none' }}>
                {formatMoney(p.total_budget, p.currency, locale)}
              </Typography.Text>
              <ProjectStatusTag status={p.status} />
            </Flex>
          </List.Item>
        )}
      />
    </Card>
  );
}
