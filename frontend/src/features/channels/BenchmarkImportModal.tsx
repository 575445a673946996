import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Input, Modal, Table, Typography, Upload } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '@/components/ProblemAlert';
import { usePutBenchmarks, type BenchmarkCell, type Industry } from './api';
import { benchmarkCsv, MAX_IMPORT, parseBenchmarkCsv, type ImportProblem } from './benchmarkModel';

interface BenchmarkImportModalProps {
  open: boolean;
  industry: Industry;
  industryName: string;
  /** The grid shown, offered as a file to start from. */
  items: readonly BenchmarkCell[];
  onClose: () => void;
}

/** Saves text as a file the browser downloads. */
function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([`\uFEFF${text}`], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

/**
 * 导入: a CSV pasted or chosen (channel_kind, metric, value — keys or Chinese labels), read in
 * the browser as it is typed, every problem listed by row; sent as one PUT of up to 500 cells
 * only when nothing is wrong.
 */
export function BenchmarkImportModal({ open, industry, industryName, items, onClose }: BenchmarkImportModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const put = usePutBenchmarks();
  const [text, setText] = useState('');
  const parsed = useMemo(() => (text.trim() ? parseBenchmarkCsv(text) : null), [text]);
  const ready = !!parsed && parsed.problems.length === 0 && parsed.items.length > 0;

  const problemText = (problem: ImportProblem) =>
    t(`channels.benchmarks.problems.${problem.code}`, {
      text: problem.text ?? '',
      first: problem.first ?? '',
      max: MAX_IMPORT,
      column: problem.column ? t(`channels.benchmarks.import.columns.${problem.column}`) : '',
    });

  const submit = () => {
    if (!parsed || !ready) return;
    put.mutate(
      { industry, items: parsed.items },
      {
        onSuccess: () => {
          void message.success(t('channels.benchmarks.import.done', { count: parsed.items.length }));
          setText('');
          onClose();
        },
      },
    );
  };

  return (
    <Modal
      open={open}
      width={720}
      title={t('channels.benchmarks.import.title', { industry: industryName })}
      okText={
        parsed && ready
          ? t('channels.benchmarks.import.submitCount', { count: parsed.items.length })
          : t('channels.benchmarks.import.submit')
      }
      okButtonProps={{ disabled: !ready, loading: put.isPending, 'data-testid': 'benchmark-import-submit' }}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      afterClose={() => put.reset()}
      destroyOnHidden
    >
      <Flex vertical gap={12} data-testid="benchmark-import">
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t('channels.benchmarks.import.help', { max: MAX_IMPORT })}
        </Typography.Paragraph>
        <Flex gap={8} wrap>
          <Upload
            accept=".csv,.txt,.tsv"
            showUploadList={false}
            maxCount={1}
            beforeUpload={(file) => {
              void file.text().then(setText);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} data-testid="benchmark-import-file">
              {t('channels.benchmarks.import.file')}
            </Button>
          </Upload>
          <Button
            icon={<DownloadOutlined />}
            onClick={() => download(`benchmarks-${industry}.csv`, benchmarkCsv(items))}
            data-testid="benchmark-import-template"
          >
            {t('channels.benchmarks.import.template')}
          </Button>
        </Flex>
        <Input.TextArea
          value={text}
          onChange={(e) => setText(e.target.value)}
          autoSize={{ minRows: 6, maxRows: 14 }}
          placeholder={t('channels.benchmarks.import.placeholder')}
          style={{ fontFamily: 'monospace' }}
          aria-label={t('channels.benchmarks.import.paste')}
          data-testid="benchmark-import-text"
        />
        {parsed && ready ? (
          <Alert
            type="success"
            showIcon
            message={t('channels.benchmarks.import.ready', { count: parsed.items.length })}
            data-testid="benchmark-import-ready"
          />
        ) : null}
        {parsed && parsed.problems.length > 0 ? (
          <>
            <Alert
              type="error"
              showIcon
              message={t('channels.benchmarks.import.problems', {
                count: parsed.problems.length,
                ok: parsed.items.length,
              })}
            />
            <Table<ImportProblem & { key: number }>
              size="small"
              pagination={parsed.problems.length > 10 ? { pageSize: 10, size: 'small' } : false}
              dataSource={parsed.problems.map((p, key) => ({ ...p, key }))}
              data-testid="benchmark-import-problems"
              columns={[
                {
                  title: t('channels.benchmarks.import.row'),
                  dataIndex: 'row',
                  width: 72,
                  render: (row: number) => (row > 0 ? row : '—'),
                },
                {
                  title: t('channels.benchmarks.import.column'),
                  dataIndex: 'column',
                  width: 110,
                  render: (column: ImportProblem['column']) =>
                    column ? t(`channels.benchmarks.import.columns.${column}`) : '—',
                },
                { title: t('channels.benchmarks.import.problem'), key: 'text', render: (_, p) => problemText(p) },
              ]}
            />
          </>
        ) : null}
        <ProblemAlert error={put.error} testId="benchmark-import-error" />
      </Flex>
    </Modal>
  );
}
