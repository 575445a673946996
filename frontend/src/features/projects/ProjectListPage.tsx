import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, Input, Select, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { EmptyState } from '@/components/EmptyState';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { ProjectStatusTag } from '@/components/ProjectStatusTag';
import { formatDay, formatMoney } from '@/lib/format';
import { newProjectPath, projectPath } from '@/lib/paths';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import { isProjectStatus, PROJECT_STATUSES } from '@/lib/projects';
import { useSession } from '@/lib/session';
import { goalsQuery, periodsQuery, projectsQuery, type Project, type ProjectFilters } from './api';
import { useDisplayLocale, useMemberOptions } from './hooks';

const PAGE_SIZE = 20;

/** Filters live in the URL, so a reload or a shared link keeps them. */
function readFilters(params: URLSearchParams): ProjectFilters {
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  return {
    status: params.getAll('status').filter(isProjectStatus),
    owner_member_id: params.get('owner') ?? undefined,
    goal_id: params.get('goal') ?? undefined,
    period_id: params.get('period') ?? undefined,
    q: params.get('q') ?? undefined,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
}

/** Projects: every campaign of the organisation, filtered by status, owner, goal, period or text. */
export function ProjectListPage() {
  const { t } = useTranslation();
  const me = useSession();
  const locale = useDisplayLocale();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const projects = useQuery(projectsQuery(filters));
  const periods = useQuery(periodsQuery);
  const goals = useQuery(goalsQuery([]));
  const memberOptions = useMemberOptions();
  const canCreate = hasPermission(me, PERMISSIONS.projectsWrite);

  const update = (changes: Record<string, string | string[] | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      next.delete(key);
      if (Array.isArray(value)) for (const v of value) next.append(key, v);
      else if (value) next.set(key, value);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  };

  const periodOptions = useMemo(
    () =>
      [...(periods.data ?? [])]
        .sort((a, b) => a.starts_on.localeCompare(b.starts_on) || (a.kind === 'year' ? -1 : 1))
        .map((p) => ({ value: p.id, label: p.name })),
    [periods.data],
  );
  const goalOptions = useMemo(() => (goals.data ?? []).map((g) => ({ value: g.id, label: g.title })), [goals.data]);
  const typeLabel = (type: string) => t(`projects.types.${type}`, { defaultValue: type });

  const columns: ColumnsType<Project> = [
    {
      title: t('projects.fields.code'),
      dataIndex: 'code',
      width: 130,
      render: (code: string, project) => (
        <Link to={projectPath(project.id)} data-testid="project-code">
          {code}
        </Link>
      ),
    },
    {
      title: t('projects.fields.name'),
      dataIndex: 'name',
      render: (name: string, project) => (
        <Flex gap={6} align="center" wrap>
          <Link to={projectPath(project.id)} data-testid="project-name">
            <Typography.Text strong>{name}</Typography.Text>
          </Link>
          {project.registered ? (
            <Tag color="green" bordered={false}>
              {t('projects.registered')}
            </Tag>
          ) : null}
        </Flex>
      ),
    },
    {
      title: t('projects.fields.status'),
      dataIndex: 'status',
      width: 100,
      render: (status: string) => <ProjectStatusTag status={status} />,
    },
    { title: t('projects.fields.type'), dataIndex: 'type', width: 110, render: typeLabel },
    { title: t('projects.fields.owner'), dataIndex: 'owner_name', width: 150 },
    {
      title: t('projects.fields.dates'),
      key: 'dates',
      width: 250,
      render: (_, p) => `${formatDay(p.starts_on, locale)} – ${formatDay(p.ends_on, locale)}`,
    },
    {
      title: t('projects.fields.budget'),
      dataIndex: 'total_budget',
      width: 150,
      align: 'right',
      render: (amount: string, p) => (
        <span data-testid="project-budget">{formatMoney(amount, p.currency, locale)}</span>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('projects.title')}
        subtitle={t('projects.subtitle')}
        testId="projects-page"
        extra={
          canCreate ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => void navigate(newProjectPath)}
              data-testid="project-new"
            >
              {t('projects.new')}
            </Button>
          ) : null
        }
      />
      <Card variant="borderless" style={{ marginBottom: 16 }}>
        <Flex gap={12} wrap>
          <Input.Search
            allowClear
            placeholder={t('projects.filters.search')}
            defaultValue={filters.q}
            onSearch={(q) => update({ q: q.trim() || undefined })}
            style={{ width: 240 }}
            data-testid="projects-search"
          />
          <Select
            mode="multiple"
            allowClear
            placeholder={t('projects.filters.status')}
            value={filters.status}
            onChange={(status: string[]) => update({ status })}
            options={PROJECT_STATUSES.map((s) => ({ value: s, label: t(`projects.status.${s}`) }))}
            style={{ minWidth: 200 }}
            maxTagCount="responsive"
            data-testid="projects-filter-status"
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('projects.filters.owner')}
            value={filters.owner_member_id}
            onChange={(owner?: string) => update({ owner })}
            options={memberOptions}
            style={{ width: 180 }}
            data-testid="projects-filter-owner"
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('projects.filters.goal')}
            value={filters.goal_id}
            onChange={(goal?: string) => update({ goal })}
            options={goalOptions}
            style={{ width: 240 }}
            data-testid="projects-filter-goal"
          />
          <Select
            allowClear
            placeholder={t('projects.filters.period')}
            value={filters.period_id}
            onChange={(period?: string) => update({ period })}
            options={periodOptions}
            style={{ width: 140 }}
            data-testid="projects-filter-period"
          />
        </Flex>
      </Card>
      {projects.error ? <ProblemAlert error={projects.error} onRetry={() => void projects.refetch()} /> : null}
      <Card variant="borderless">
        <Table<Project>
          rowKey="id"
          columns={columns}
          dataSource={projects.data?.items ?? []}
          loading={projects.isFetching}
          scroll={{ x: 1100 }}
          data-testid="projects-table"
          locale={{
            emptyText: projects.isPending ? (
              ' '
            ) : (
              <EmptyState compact description={t('projects.empty')} testId="projects-empty" />
            ),
          }}
          pagination={{
            current: filters.offset / PAGE_SIZE + 1,
            pageSize: PAGE_SIZE,
            total: projects.data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (total) => t('common.total', { total }),
            onChange: (page) => update({ page: page > 1 ? String(page) : undefined }),
          }}
        />
      </Card>
    </>
  );
}
