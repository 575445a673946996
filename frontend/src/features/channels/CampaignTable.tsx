import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Flex, Input, Select, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ProblemAlert } from '@/components/ProblemAlert';
import { projectPath } from '@/lib/paths';
import { campaignsQuery, projectsQuery, type Campaign, type Channel } from './api';
import { CampaignFormModal } from './CampaignFormModal';
import { CampaignRecords } from './CampaignRecords';
import { CampaignStatusTag } from './tags';

const PAGE_SIZE = 20;

interface CampaignTableProps {
  channels: readonly Channel[];
  canManage: boolean;
}

/** 广告计划: by channel and search (kept in the address), each with the project it spends for and its records. */
export function CampaignTable({ channels, canManage }: CampaignTableProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const channelId = params.get('channel') ?? undefined;
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const list = useQuery(
    campaignsQuery({ channel_id: channelId, q: q || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
  );
  const projects = useQuery(projectsQuery);
  const [editing, setEditing] = useState<Campaign | 'new' | null>(null);

  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  };

  const project = (id: string | null) => {
    if (!id) return <Typography.Text type="secondary">{t('channels.campaigns.noProject')}</Typography.Text>;
    const found = projects.data?.find((p) => p.id === id);
    if (!found) return <Typography.Text type="secondary">{t('channels.campaigns.hiddenProject')}</Typography.Text>;
    return (
      <Link to={projectPath(id)} data-testid="campaign-project">
        {`${found.code} · ${found.name}`}
      </Link>
    );
  };

  const columns: ColumnsType<Campaign> = [
    {
      title: t('channels.campaigns.fields.name'),
      key: 'name',
      render: (_, c) => (
        <Flex vertical>
          <span>{c.name}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {c.external_id}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('channels.campaigns.fields.channel'),
      key: 'channel',
      width: 120,
      render: (_, c) => channels.find((ch) => ch.id === c.channel_id)?.name ?? '—',
    },
    { title: t('channels.campaigns.fields.project'), key: 'project', render: (_, c) => project(c.project_id) },
    {
      title: t('channels.campaigns.fields.status'),
      key: 'status',
      width: 100,
      render: (_, c) => <CampaignStatusTag status={c.status} />,
    },
    {
      title: t('channels.campaigns.fields.sync_spend'),
      key: 'sync',
      width: 110,
      render: (_, c) =>
        c.sync_spend ? (
          <Tag color="blue">{t('channels.campaigns.synced')}</Tag>
        ) : (
          <Tag>{t('channels.campaigns.notSynced')}</Tag>
        ),
    },
    ...(canManage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            render: (_: unknown, c: Campaign) => (
              <Button size="small" onClick={() => setEditing(c)} data-testid="campaign-edit">
                {t('channels.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title={t('channels.campaigns.title')}
      extra={
        canManage ? (
          <Button
            icon={<PlusOutlined />}
            disabled={!channels.some((c) => c.active)}
            onClick={() => setEditing('new')}
            data-testid="campaign-create"
          >
            {t('channels.campaigns.create')}
          </Button>
        ) : null
      }
    >
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          value={channelId}
          placeholder={t('channels.campaigns.allChannels')}
          options={channels.map((c) => ({ value: c.id, label: c.name }))}
          onChange={(value?: string) => set({ channel: value })}
          style={{ width: 180 }}
          data-testid="campaign-channel-filter"
        />
        <Input.Search
          allowClear
          defaultValue={q}
          placeholder={t('channels.campaigns.search')}
          onSearch={(value) => set({ q: value.trim() || undefined })}
          style={{ width: 260 }}
          maxLength={100}
          data-testid="campaign-search"
        />
      </Flex>
      {list.error ? <ProblemAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      <Table<Campaign>
        rowKey="id"
        loading={list.isPending}
        columns={columns}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('channels.campaigns.empty') }}
        expandable={{ expandedRowRender: (c) => <CampaignRecords campaign={c} /> }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (total) => t('common.total', { total }),
          onChange: (next) => set({ page: next > 1 ? String(next) : undefined }),
        }}
        data-testid="campaign-table"
      />
      <CampaignFormModal
        open={editing !== null}
        campaign={editing === 'new' ? null : editing}
        channels={channels}
        projects={projects.data ?? []}
        onClose={() => setEditing(null)}
        onSaved={(saved) => void message.success(t('channels.campaigns.saved', { name: saved.name }))}
      />
    </Card>
  );
}
