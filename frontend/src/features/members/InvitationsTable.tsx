import { useQuery } from '@tanstack/react-query';
import { App, Button, Popconfirm, Segmented, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '@/components/ProblemAlert';
import { errorText } from '@/lib/errorText';
import { formatDateTime } from '@/lib/format';
import { ROLE_COLORS, isRole } from '@/lib/roles';
import { useSession } from '@/lib/session';
import { invitationsQuery, useRevokeInvitation, type Invitation, type InvitationStatus } from './api';

const INVITATION_STATUS_COLORS: Record<InvitationStatus, string | undefined> = {
  pending: 'processing',
  accepted: 'success',
  declined: 'warning',
  revoked: undefined,
  expired: 'default',
};

const PAGE_SIZE = 20;

/**
 * The organisation's invitations, for admins: people who already had a MEMS account were
 * invited rather than added, and join when they accept. An open one can be revoked.
 */
export function InvitationsTable() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useSession();
  const [pending, setPending] = useState(true);
  const [page, setPage] = useState(1);
  const invitations = useQuery(invitationsQuery({ pending, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }));
  const revoke = useRevokeInvitation();

  const columns: ColumnsType<Invitation> = [
    {
      title: t('members.name'),
      dataIndex: 'name',
      render: (name: string) => <Typography.Text strong>{name}</Typography.Text>,
    },
    { title: t('members.email'), dataIndex: 'email' },
    {
      title: t('members.role'),
      dataIndex: 'role',
      width: 120,
      render: (role: string) => (
        <Tag color={isRole(role) ? ROLE_COLORS[role] : undefined}>{t(`roles.${role}`, { defaultValue: role })}</Tag>
      ),
    },
    {
      title: t('members.status'),
      dataIndex: 'status',
      width: 100,
      render: (status: InvitationStatus) => (
        <Tag color={INVITATION_STATUS_COLORS[status]} data-testid="invitation-status">
          {t(`invitations.status.${status}`)}
        </Tag>
      ),
    },
    {
      title: t('invitations.createdAt'),
      dataIndex: 'created_at',
      width: 170,
      render: (value: string) => formatDateTime(value, me.org.timezone),
    },
    {
      title: t('invitations.expiresOrAnswered'),
      key: 'when',
      width: 170,
      render: (_, invitation) =>
        invitation.answered_at
          ? formatDateTime(invitation.answered_at, me.org.timezone)
          : formatDateTime(invitation.expires_at, me.org.timezone),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      render: (_, invitation) =>
        invitation.status === 'pending' ? (
          <Popconfirm
            title={t('invitations.revokeConfirm', { name: invitation.name, email: invitation.email })}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() =>
              revoke.mutate(invitation.id, {
                onSuccess: () => void message.success(t('invitations.revoked')),
                onError: (error) => void message.error(errorText(error, t)),
              })
            }
          >
            <Button type="link" size="small" danger data-testid={`invitation-revoke-${invitation.email}`}>
              {t('invitations.revoke')}
            </Button>
          </Popconfirm>
        ) : null,
    },
  ];

  return (
    <>
      <Typography.Paragraph type="secondary">{t('invitations.hint')}</Typography.Paragraph>
      <Segmented
        value={pending ? 'pending' : 'all'}
        onChange={(value) => {
          setPending(value === 'pending');
          setPage(1);
        }}
        options={[
          { value: 'pending', label: t('invitations.filterPending') },
          { value: 'all', label: t('invitations.filterAll') },
        ]}
        style={{ marginBottom: 16 }}
        data-testid="invitations-filter"
      />
      {invitations.error ? <ProblemAlert error={invitations.error} onRetry={() => void invitations.refetch()} /> : null}
      <Table<Invitation>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={invitations.data?.items ?? []}
        loading={invitations.isFetching}
        locale={{ emptyText: t(pending ? 'invitations.emptyPending' : 'invitations.empty') }}
        data-testid="invitations-table"
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: invitations.data?.total ?? 0,
          showTotal: (total) => t('common.total', { total }),
          onChange: setPage,
          hideOnSinglePage: true,
        }}
        scroll={{ x: 900 }}
      />
    </>
  );
}
