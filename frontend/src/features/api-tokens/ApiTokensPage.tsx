import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { errorText } from '@/lib/errorText';
import { formatDateTime } from '@/lib/format';
import { permissionLabelKey } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import { apiTokensQuery, useRevokeApiToken, type ApiToken } from './api';
import { CreateApiTokenModal } from './CreateApiTokenModal';

type TokenStatus = 'active' | 'revoked' | 'expired';

function tokenStatus(token: ApiToken, now = Date.now()): TokenStatus {
  if (token.revoked_at) return 'revoked';
  if (token.expires_at && new Date(token.expires_at).getTime() <= now) return 'expired';
  return 'active';
}

const STATUS_COLORS: Record<TokenStatus, string> = { active: 'success', revoked: 'default', expired: 'warning' };

export function ApiTokensPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useSession();
  const tz = me.org.timezone;
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [creating, setCreating] = useState(false);
  const tokens = useQuery(apiTokensQuery({ limit: page.pageSize, offset: (page.current - 1) * page.pageSize }));
  const revoke = useRevokeApiToken();

  const columns: ColumnsType<ApiToken> = [
    {
      title: t('apiTokens.name'),
      dataIndex: 'name',
      render: (name: string) => <Typography.Text strong>{name}</Typography.Text>,
    },
    {
      title: t('apiTokens.prefix'),
      dataIndex: 'prefix',
      render: (prefix: string) => <Typography.Text code>{prefix}…</Typography.Text>,
    },
    {
      title: t('apiTokens.scopes'),
      dataIndex: 'scopes',
      render: (scopes: string[]) => (
        <Space size={[0, 4]} wrap>
          {scopes.map((s) => (
            <Tooltip key={s} title={s}>
              <Tag>{t(permissionLabelKey(s), { defaultValue: s })}</Tag>
            </Tooltip>
          ))}
        </Space>
      ),
    },
    {
      title: t('apiTokens.status'),
      key: 'status',
      width: 100,
      render: (_, token) => {
        const status = tokenStatus(token);
        return <Tag color={STATUS_COLORS[status]}>{t(`apiTokens.${status}`)}</Tag>;
      },
    },
    {
      title: t('apiTokens.createdAt'),
      dataIndex: 'created_at',
      width: 160,
      render: (v: string) => formatDateTime(v, tz),
    },
    {
      title: t('apiTokens.expiresAt'),
      dataIndex: 'expires_at',
      width: 160,
      render: (v: string | null) => (v ? formatDateTime(v, tz) : t('apiTokens.noExpiry')),
    },
    {
      title: t('apiTokens.lastUsedAt'),
      dataIndex: 'last_used_at',
      width: 160,
      render: (v: string | null) => (v ? formatDateTime(v, tz) : t('common.never')),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      render: (_, token) =>
        tokenStatus(token) === 'revoked' ? null : (
          <Popconfirm
            title={t('apiTokens.revokeConfirm', { name: token.name })}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() =>
              revoke.mutate(token.id, {
                onSuccess: () => void message.success(t('apiTokens.revokedMessage')),
                onError: (error) => void message.error(errorText(error, t)),
              })
            }
          >
            <Button type="link" size="small" danger data-testid={`token-revoke-${token.name}`}>
              {t('apiTokens.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('apiTokens.title')}
        subtitle={t('apiTokens.subtitle')}
        testId="api-tokens-page"
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="token-create">
            {t('apiTokens.create')}
          </Button>
        }
      />
      <Card variant="borderless">
        {tokens.error ? <ProblemAlert error={tokens.error} onRetry={() => void tokens.refetch()} /> : null}
        <Table<ApiToken>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={tokens.data?.items ?? []}
          loading={tokens.isFetching}
          locale={{ emptyText: t('apiTokens.empty') }}
          pagination={{
            ...page,
            total: tokens.data?.total ?? 0,
            showTotal: (total) => t('common.total', { total }),
            onChange: (current, pageSize) => setPage({ current, pageSize }),
          }}
          scroll={{ x: 1000 }}
        />
      </Card>
      <CreateApiTokenModal open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
