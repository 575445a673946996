import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Input, Popconfirm, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { errorText } from '@/lib/errorText';
import { formatDateTime } from '@/lib/format';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import { ROLE_COLORS, ROLES, isRole, type Role } from '@/lib/roles';
import { useSession } from '@/lib/session';
import { membersQuery, useDeleteMember, useUpdateMember, type Member, type MemberAdded } from './api';
import { CreateMemberModal } from './CreateMemberModal';
import { InvitationsTable } from './InvitationsTable';

const PAGE_SIZES = [10, 20, 50];

function positiveInt(value: string | null, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export function MembersPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useSession();
  const canManage = hasPermission(me, PERMISSIONS.membersManage);
  // Search and paging live in the URL, so a reload or a shared link keeps them.
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const page = positiveInt(params.get('page'), 1);
  const pageSize = positiveInt(params.get('size'), 20);
  const [creating, setCreating] = useState(false);
  // The answer to adding someone does not say whether they had an account; the notice says
  // what happens in either case.
  const [added, setAdded] = useState<MemberAdded | null>(null);
  const tab = canManage && params.get('tab') === 'invitations' ? 'invitations' : 'members';

  const members = useQuery(membersQuery({ q, limit: pageSize, offset: (page - 1) * pageSize }));
  const update = useUpdateMember();
  const remove = useDeleteMember();

  const setQuery = (next: Record<string, string | number | undefined>) => {
    const merged = new URLSearchParams(params);
    for (const [key, value] of Object.entries(next)) {
      if (value === undefined || value === '') merged.delete(key);
      else merged.set(key, String(value));
    }
    setParams(merged, { replace: true });
  };

  const patch = (member: Member, changes: { role?: Role; is_active?: boolean }) => {
    update.mutate(
      { id: member.id, body: { ...changes, version: member.version } },
      {
        onSuccess: () => void message.success(t('members.updated')),
        onError: (error) => void message.error(errorText(error, t)),
      },
    );
  };

  const columns: ColumnsType<Member> = [
    {
      title: t('members.name'),
      dataIndex: 'name',
      render: (name: string, member) => (
        <Space>
          <Typography.Text strong>{name}</Typography.Text>
          {member.user_id === me.user.id ? <Tag color="blue">{t('members.you')}</Tag> : null}
        </Space>
      ),
    },
    { title: t('members.email'), dataIndex: 'email' },
    {
      title: t('members.role'),
      dataIndex: 'role',
      width: 170,
      render: (role: string, member) =>
        canManage && member.user_id !== me.user.id ? (
          <Select
            size="small"
            value={role}
            style={{ width: 140 }}
            data-testid={`member-role-select-${member.email}`}
            onChange={(next: string) => {
              if (isRole(next)) patch(member, { role: next });
            }}
            options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          />
        ) : (
          <Tag color={isRole(role) ? ROLE_COLORS[role] : undefined}>{t(`roles.${role}`, { defaultValue: role })}</Tag>
        ),
    },
    {
      title: t('members.status'),
      dataIndex: 'is_active',
      width: 100,
      render: (active: boolean) =>
        active ? <Tag color="success">{t('members.active')}</Tag> : <Tag>{t('members.inactive')}</Tag>,
    },
    {
      title: t('members.createdAt'),
      dataIndex: 'created_at',
      width: 170,
      render: (value: string) => formatDateTime(value, me.org.timezone),
    },
  ];

  if (canManage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 160,
      render: (_, member) =>
        member.user_id === me.user.id ? null : (
          <Space size={0}>
            <Popconfirm
              title={t(member.is_active ? 'members.deactivateConfirm' : 'members.activateConfirm', {
                name: member.name,
              })}
              okText={t('common.confirm')}
              cancelText={t('common.cancel')}
              onConfirm={() => patch(member, { is_active: !member.is_active })}
            >
              <Button type="link" size="small" danger={member.is_active} data-testid={`member-toggle-${member.email}`}>
                {t(member.is_active ? 'members.deactivate' : 'members.activate')}
              </Button>
            </Popconfirm>
            <Popconfirm
              title={t('members.removeConfirm', { name: member.name })}
              okText={t('common.confirm')}
              cancelText={t('common.cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={() =>
                remove.mutate(member.id, {
                  onSuccess: () => void message.success(t('members.removed')),
                  onError: (error) => void message.error(errorText(error, t)),
                })
              }
            >
              <Button type="link" size="small" danger>
                {t('members.remove')}
              </Button>
            </Popconfirm>
          </Space>
        ),
    });
  }

  const membersList = (
    <>
      <Input.Search
        allowClear
        defaultValue={q}
        placeholder={t('members.searchPlaceholder')}
        onSearch={(value) => setQuery({ q: value.trim(), page: undefined })}
        style={{ maxWidth: 320, marginBottom: 16 }}
        data-testid="member-search"
      />
      {members.error ? <ProblemAlert error={members.error} onRetry={() => void members.refetch()} /> : null}
      <Table<Member>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={members.data?.items ?? []}
        loading={members.isFetching}
        locale={{ emptyText: t('members.empty') }}
        data-testid="members-table"
        pagination={{
          current: page,
          pageSize,
          total: members.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZES,
          showTotal: (total) => t('common.total', { total }),
          onChange: (nextPage, nextSize) =>
            setQuery({
              page: nextSize !== pageSize ? undefined : nextPage,
              size: nextSize === 20 ? undefined : nextSize,
            }),
        }}
        scroll={{ x: 800 }}
      />
    </>
  );

  return (
    <>
      <PageHeader
        title={t('members.title')}
        subtitle={t('members.subtitle')}
        testId="members-page"
        extra={
          canManage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="member-add">
              {t('members.add')}
            </Button>
          ) : null
        }
      />
      {added ? (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setAdded(null)}
          style={{ marginBottom: 16 }}
          data-testid="member-added"
          message={t('members.addedNotice', { name: added.name, email: added.email })}
        />
      ) : null}
      <Card variant="borderless">
        {canManage ? (
          <Tabs
            activeKey={tab}
            onChange={(key) => setQuery({ tab: key === 'invitations' ? key : undefined, page: undefined })}
            data-testid="members-tabs"
            items={[
              { key: 'members', label: t('members.tabMembers'), children: membersList },
              { key: 'invitations', label: t('invitations.title'), children: <InvitationsTable /> },
            ]}
          />
        ) : (
          membersList
        )}
      </Card>
      <CreateMemberModal open={creating} onClose={() => setCreating(false)} onCreated={setAdded} />
    </>
  );
}
