import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Flex, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { errorText } from '@/lib/errorText';
import { formatDateTime } from '@/lib/format';
import { useSession } from '@/lib/session';
import { memberDirectoryQuery, teamsQuery, useDeleteTeam, type Team } from './api';
import { memberNames } from './model';
import { TeamFormModal } from './TeamFormModal';

const PAGE_SIZE = 20;
/** Beyond this many, a row shows the first names and "+N". */
const SHOWN_MEMBERS = 8;

type Dialog = { team: Team | null } | null;

/** Teams (团队): who belongs to each, who leads it. Goals and projects are owned by teams. */
export function TeamsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useSession();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [dialog, setDialog] = useState<Dialog>(null);

  const teams = useQuery(teamsQuery({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }));
  const directory = useQuery(memberDirectoryQuery);
  const remove = useDeleteTeam();
  const names = useMemo(() => new Map((directory.data ?? []).map((m) => [m.id, m.name])), [directory.data]);

  const setPage = (next: number) => {
    const merged = new URLSearchParams(params);
    if (next === 1) merged.delete('page');
    else merged.set('page', String(next));
    setParams(merged, { replace: true });
  };

  const columns: ColumnsType<Team> = [
    {
      title: t('teams.name'),
      dataIndex: 'name',
      render: (name: string, team) => (
        <Flex vertical>
          <Typography.Text strong data-testid="team-row-name">
            {name}
          </Typography.Text>
          {team.description ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {team.description}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    {
      title: t('teams.lead'),
      dataIndex: 'lead_member_id',
      width: 140,
      render: (id: string | null) =>
        id ? (names.get(id) ?? '…') : <Typography.Text type="secondary">{t('teams.noLead')}</Typography.Text>,
    },
    {
      title: t('teams.members'),
      dataIndex: 'member_ids',
      render: (ids: string[]) => {
        const shown = memberNames(ids, names);
        if (ids.length === 0) return <Typography.Text type="secondary">{t('teams.noMembers')}</Typography.Text>;
        return (
          <Space size={[4, 4]} wrap data-testid="team-row-members">
            {shown.slice(0, SHOWN_MEMBERS).map((name) => (
              <Tag key={name} bordered={false}>
                {name}
              </Tag>
            ))}
            {ids.length > SHOWN_MEMBERS ? <Tag>+{ids.length - SHOWN_MEMBERS}</Tag> : null}
            <Typography.Text type="secondary">{t('teams.memberCount', { count: ids.length })}</Typography.Text>
          </Space>
        );
      },
    },
    {
      title: t('teams.updatedAt'),
      dataIndex: 'updated_at',
      width: 160,
      render: (value: string) => formatDateTime(value, me.org.timezone),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 140,
      render: (_, team) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setDialog({ team })} data-testid={`team-edit-${team.name}`}>
            {t('teams.edit')}
          </Button>
          <Popconfirm
            title={t('teams.deleteConfirm', { name: team.name })}
            description={t('teams.deleteHelp')}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() =>
              remove.mutate(team.id, {
                onSuccess: () => void message.success(t('teams.deleted', { name: team.name })),
                onError: (error) => void message.error(errorText(error, t)),
              })
            }
          >
            <Button type="link" size="small" danger data-testid={`team-delete-${team.name}`}>
              {t('common.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('teams.title')}
        subtitle={t('teams.subtitle')}
        testId="teams-page"
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setDialog({ team: null })}
            data-testid="team-add"
          >
            {t('teams.add')}
          </Button>
        }
      />
      <Card variant="borderless">
        {teams.error ? <ProblemAlert error={teams.error} onRetry={() => void teams.refetch()} /> : null}
        {directory.error ? <ProblemAlert error={directory.error} onRetry={() => void directory.refetch()} /> : null}
        <Table<Team>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={teams.data?.items ?? []}
          loading={teams.isFetching}
          locale={{ emptyText: t('teams.empty') }}
          data-testid="teams-table"
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: teams.data?.total ?? 0,
            showSizeChanger: false,
            hideOnSinglePage: true,
            showTotal: (total) => t('common.total', { total }),
            onChange: setPage,
          }}
          scroll={{ x: 800 }}
        />
      </Card>
      <TeamFormModal
        key={dialog?.team?.id ?? 'new'}
        open={dialog !== null}
        team={dialog?.team ?? null}
        members={directory.data ?? []}
        onClose={() => setDialog(null)}
        onSaved={(team, created) =>
          void message.success(t(created ? 'teams.created' : 'teams.updated', { name: team.name }))
        }
      />
    </>
  );
}
