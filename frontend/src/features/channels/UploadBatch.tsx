import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Descriptions, Result, Spin } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ProblemAlert } from '@/components/ProblemAlert';
import { formatNumber, type DisplayLocale } from '@/lib/format';
import { paths } from '@/lib/paths';
import { batchQuery, channelKeys, type Batch } from './api';
import { BatchStatusTag } from './tags';

interface UploadBatchProps {
  /** The batch the commit answered with (pending). */
  batch: Batch;
  fileName: string;
  onAgain: () => void;
}

/** The committed file's batch, asked again until it is written: what was written and flagged. */
export function UploadBatch({ batch: sent, fileName, onAgain }: UploadBatchProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const query = useQuery({ ...batchQuery(sent.id), initialData: sent });
  const batch = query.data;

  useEffect(() => {
    // The data is in: the dashboard and the campaigns (new ones among them) read it again.
    if (batch.status === 'done') void queryClient.invalidateQueries({ queryKey: channelKeys.all });
  }, [batch.status, queryClient]);

  const count = (n: number) => formatNumber(n, locale);
  const facts = (
    <Descriptions
      size="small"
      column={{ xs: 1, sm: 2, md: 4 }}
      data-testid="upload-batch-facts"
      items={[
        { key: 'file', label: t('channels.upload.totals.file'), children: fileName || '—' },
        { key: 'status', label: t('channels.batches.status'), children: <BatchStatusTag batch={batch} /> },
        { key: 'records', label: t('channels.batches.records'), children: count(batch.record_count) },
        {
          key: 'written',
          label: t('channels.batches.written'),
          children: <span data-testid="upload-batch-written">{count(batch.written)}</span>,
        },
        {
          key: 'flagged',
          label: t('channels.batches.flagged'),
          children: <span data-testid="upload-batch-flagged">{count(batch.flagged)}</span>,
        },
      ]}
    />
  );
  const actions = [
    <Button
      key="dashboard"
      type="primary"
      onClick={() => void navigate(paths.modules.channelDashboard)}
      data-testid="upload-to-dashboard"
    >
      {t('channels.upload.batch.toDashboard')}
    </Button>,
    <Button key="again" onClick={onAgain} data-testid="upload-again">
      {t('channels.upload.batch.again')}
    </Button>,
  ];

  return (
    <Card data-testid="upload-batch">
      {query.error ? <ProblemAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      {batch.status === 'pending' ? (
        <Result
          icon={<Spin size="large" />}
          title={t('channels.upload.batch.pending', { count: batch.record_count })}
          subTitle={t('channels.upload.batch.pendingHint')}
          extra={actions}
        />
      ) : batch.status === 'done' ? (
        <Result
          status="success"
          title={t('channels.upload.batch.done', { count: batch.written })}
          subTitle={batch.flagged > 0 ? t('channels.upload.batch.flagged', { count: batch.flagged }) : undefined}
          extra={actions}
        />
      ) : (
        <Result
          status="error"
          title={t('channels.upload.batch.failed')}
          subTitle={batch.error ?? undefined}
          extra={actions}
        />
      )}
      {facts}
    </Card>
  );
}
