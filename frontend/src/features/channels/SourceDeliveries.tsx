import { ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Flex, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '@/components/ProblemAlert';
import { formatDateTime, formatNumber, type DisplayLocale } from '@/lib/format';
import { useSession } from '@/lib/session';
import { batchesQuery, type Batch } from './api';
import { BatchStatusTag } from './tags';

/** A source's last deliveries, newest first; the list refreshes itself while one is being written. */
export function SourceDeliveries({ sourceId }: { sourceId: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const me = useSession();
  const batches = useQuery(batchesQuery(sourceId));
  const count = (n: number) => formatNumber(n, locale);

  const columns: ColumnsType<Batch> = [
    {
      title: t('channels.batches.receivedAt'),
      dataIndex: 'received_at',
      render: (v: string) => formatDateTime(v, me.org.timezone),
    },
    { title: t('channels.batches.status'), key: 'status', render: (_, b) => <BatchStatusTag batch={b} /> },
    { title: t('channels.batches.records'), dataIndex: 'record_count', align: 'right', render: count },
    { title: t('channels.batches.written'), dataIndex: 'written', align: 'right', render: count },
    {
      title: t('channels.batches.flagged'),
      dataIndex: 'flagged',
      align: 'right',
      render: (n: number) =>
        n > 0 ? (
          <Tag color="orange" style={{ marginInlineEnd: 0 }} data-testid="batch-flagged">
            {count(n)}
          </Tag>
        ) : (
          count(n)
        ),
    },
  ];

  return (
    <section>
      <Flex justify="space-between" align="center">
        <Typography.Title level={5}>{t('channels.batches.title')}</Typography.Title>
        <Button
          size="small"
          type="text"
          icon={<ReloadOutlined />}
          loading={batches.isFetching}
          onClick={() => void batches.refetch()}
          aria-label={t('common.refresh')}
        />
      </Flex>
      {batches.error ? <ProblemAlert error={batches.error} /> : null}
      <Table<Batch>
        rowKey="id"
        size="small"
        loading={batches.isPending}
        columns={columns}
        dataSource={batches.data?.items ?? []}
        locale={{ emptyText: t('channels.batches.empty') }}
        pagination={false}
        data-testid="source-batches"
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('channels.batches.flaggedHint')}
      </Typography.Text>
    </section>
  );
}
