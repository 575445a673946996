import { DownloadOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Descriptions,
  Flex,
  Modal,
  Result,
  Select,
  Spin,
  Steps,
  Table,
  Tag,
  theme,
  Tooltip,
  Typography,
  Upload,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '@/api/errors';
import { FileProblem, RowProblems } from '@/components/SpreadsheetProblems';
import type { ProjectFinanceProps } from '@/lib/financePanels';
import { formatDay, formatMoney } from '@/lib/format';
import type { BudgetSummary } from './api';
import { useAnnounceCrossings } from './crossingAlerts';
import { useDisplayLocale } from './hooks';
import {
  CATEGORY_CODES,
  changedMapping,
  commitProblems,
  mappingOf,
  sharedColumns,
  templateCsv,
  type CommitProblem,
} from './importModel';
import { useImportCommit, useImportPreview, type ImportPreview, type ImportRow } from './ledgerApi';
import { useRecordRight } from './rights';

type Project = ProjectFinanceProps['project'];

/** What the file picker takes (the server reads the same, by extension and content). */
export const IMPORT_ACCEPT = '.csv,.xlsx,.xls';
const TEMPLATE_NAME = '成本导入模板.csv';

/** 导入成本: the button, for who may record costs on the project, and its wizard. */
export function ImportCostsButton({
  project,
  mayManage,
  summary,
}: ProjectFinanceProps & { summary: BudgetSummary | undefined }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const right = useRecordRight(project, mayManage);
  if (!right.visible) return null;
  return (
    <>
      <Tooltip title={right.refusal}>
        <Button
          icon={<UploadOutlined />}
          disabled={!!right.refusal || !summary}
          onClick={() => setOpen(true)}
          data-testid="cost-import"
        >
          {t('finance.import.action')}
        </Button>
      </Tooltip>
      {open ? <CostImportModal project={project} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

/** Saves the template (the headers the server recognises) as a CSV file. */
function downloadTemplate() {
  const url = URL.createObjectURL(new Blob([templateCsv()], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = TEMPLATE_NAME;
  link.click();
  URL.revokeObjectURL(url);
}

type Step = 'choose' | 'preview' | 'done';

/**
 * The import wizard: choose a file (kept in the browser until previewed), see how the server
 * reads it — the column of each field, the rows it makes, every problem by row and column, the
 * totals — change a field's column and see it again, then write all the rows (or, with any
 * problem, none).
 */
export function CostImportModal({ project, onClose }: { project: Project; onClose: () => void }) {
  const { t } = useTranslation();
  const announce = useAnnounceCrossings();
  const [step, setStep] = useState<Step>('choose');
  const [file, setFile] = useState<File | null>(null);
  const preview = useImportPreview(project.id);
  const commit = useImportCommit(project.id);
  // The preview on screen, kept while a changed mapping is read again.
  const [shown, setShown] = useState<ImportPreview | null>(null);

  const read = (chosen: File, mapping: Record<string, string | null> | null) => {
    commit.reset();
    preview.mutate(
      { file: chosen, mapping },
      {
        onSuccess: (result) => {
          setShown(result);
          setStep('preview');
        },
      },
    );
  };

  const chooseAgain = () => {
    preview.reset();
    commit.reset();
    setShown(null);
    setFile(null);
    setStep('choose');
  };

  const onMap = (field: string, column: string | null) => {
    if (!file || !shown) return;
    read(file, changedMapping(shown.fields, shown.mapping, field, column));
  };

  const onCommit = () => {
    if (!file || !shown) return;
    commit.mutate(
      { file, mapping: mappingOf(shown.fields, shown.mapping) },
      {
        onSuccess: ({ crossings, summary }) => {
          setStep('done');
          if (summary) announce(crossings, summary.thresholds);
        },
      },
    );
  };

  const rereading = preview.isPending && step === 'preview';
  const rows = shown?.totals.rows ?? 0;
  const footer =
    step === 'choose' ? (
      <Flex justify="end" gap={8}>
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button
          type="primary"
          disabled={!file}
          loading={preview.isPending}
          onClick={() => file && read(file, null)}
          data-testid="import-preview"
        >
          {t('finance.import.preview')}
        </Button>
      </Flex>
    ) : step === 'preview' ? (
      <Flex justify="space-between" gap={8} wrap>
        <Button onClick={chooseAgain} disabled={commit.isPending} data-testid="import-choose-again">
          {t('finance.import.chooseAgain')}
        </Button>
        <Flex gap={8}>
          <Button onClick={onClose} disabled={commit.isPending}>
            {t('common.cancel')}
          </Button>
          <Button
            type="primary"
            disabled={!shown?.can_commit || rereading}
            loading={commit.isPending}
            onClick={onCommit}
            data-testid="import-commit"
          >
            {t('finance.import.commit', { count: rows })}
          </Button>
        </Flex>
      </Flex>
    ) : (
      <Flex justify="end">
        <Button type="primary" onClick={onClose} data-testid="import-close">
          {t('finance.import.finish')}
        </Button>
      </Flex>
    );

  return (
    <Modal
      open
      title={t('finance.import.title')}
      width={step === 'preview' ? 1080 : 640}
      onCancel={commit.isPending ? undefined : onClose}
      maskClosable={false}
      footer={footer}
      destroyOnHidden
      data-testid="import-modal"
    >
      <Steps
        size="small"
        current={step === 'choose' ? 0 : step === 'preview' ? 1 : 2}
        style={{ marginBottom: 20 }}
        items={[
          { title: t('finance.import.steps.choose') },
          { title: t('finance.import.steps.preview') },
          { title: t('finance.import.steps.done') },
        ]}
      />
      {step === 'choose' ? (
        <ChooseFile file={file} onFile={setFile} error={preview.error} />
      ) : step === 'preview' && shown ? (
        <Spin spinning={rereading}>
          <PreviewStep
            project={project}
            preview={shown}
            file={file}
            onMap={onMap}
            previewError={preview.error}
            commitError={commit.error}
          />
        </Spin>
      ) : step === 'done' ? (
        <div data-testid="import-done">
          <Result
            status="success"
            title={t('finance.import.done', { count: commit.data?.result.count ?? 0 })}
            subTitle={t('finance.import.doneHint')}
          />
        </div>
      ) : null}
    </Modal>
  );
}

/** Step 1: the file, kept in the browser (the picker never sends it), and the template. */
function ChooseFile({
  file,
  onFile,
  error,
}: {
  file: File | null;
  onFile: (file: File | null) => void;
  error: unknown;
}) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={12}>
      <FileProblem error={error} testId="import-problem" />
      <Upload.Dragger
        accept={IMPORT_ACCEPT}
        maxCount={1}
        multiple={false}
        fileList={file ? [{ uid: 'chosen', name: file.name, status: 'done' }] : []}
        beforeUpload={(chosen) => {
          onFile(chosen);
          return false; // read by the preview, not uploaded now
        }}
        onRemove={() => onFile(null)}
        data-testid="import-file"
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t('finance.import.drop')}</p>
        <p className="ant-upload-hint">{t('finance.import.accepts')}</p>
      </Upload.Dragger>
      <Alert
        type="info"
        showIcon
        message={t('finance.import.howTitle')}
        description={
          <Flex vertical gap={4}>
            <span>{t('finance.import.howColumns')}</span>
            <span>{t('finance.import.howKinds')}</span>
            <span>{t('finance.import.howCategories', { codes: CATEGORY_CODES.join(' / ') })}</span>
            <span>{t('finance.import.howAllOrNothing')}</span>
          </Flex>
        }
      />
      <div>
        <Button icon={<DownloadOutlined />} onClick={downloadTemplate} data-testid="import-template">
          {t('finance.import.template')}
        </Button>
      </div>
    </Flex>
  );
}

interface PreviewStepProps {
  project: Project;
  preview: ImportPreview;
  file: File | null;
  onMap: (field: string, column: string | null) => void;
  previewError: unknown;
  commitError: unknown;
}

/** Step 2: the mapping, the problems, the rows and the totals, as the server read the file. */
function PreviewStep({ project, preview, file, onMap, previewError, commitError }: PreviewStepProps) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const currency = preview.totals.currency;
  return (
    <Flex vertical gap={16} data-testid="import-preview-step">
      <FileProblem error={previewError} testId="import-problem" />
      <CommitProblem error={commitError} />
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, md: 3 }}
        bordered
        data-testid="import-totals"
        items={[
          { key: 'file', label: t('finance.import.file'), children: file?.name ?? '—' },
          { key: 'total', label: t('finance.import.totalRows'), children: preview.total_rows },
          {
            key: 'problems',
            label: t('finance.import.problemCount'),
            children: (
              <Typography.Text type={preview.error_count > 0 ? 'danger' : 'success'} data-testid="import-error-count">
                {preview.error_count}
              </Typography.Text>
            ),
          },
          { key: 'rows', label: t('finance.import.goodRows'), children: preview.totals.rows },
          {
            key: 'actual',
            label: t('finance.kind.actual'),
            children: formatMoney(preview.totals.actual, currency, locale),
          },
          {
            key: 'committed',
            label: t('finance.kind.committed'),
            children: formatMoney(preview.totals.committed, currency, locale),
          },
          {
            key: 'sum',
            label: t('finance.import.sum'),
            children: <strong data-testid="import-sum">{formatMoney(preview.totals.total, currency, locale)}</strong>,
          },
        ]}
      />
      <MappingTable preview={preview} onMap={onMap} />
      {preview.error_count > 0 ? (
        <RowProblems
          problems={preview.errors}
          total={preview.error_count}
          isHeader={(row) => row <= 1}
          fieldLabel={(field) => fieldLabel(field, t)}
          testId="import-errors"
        />
      ) : null}
      {preview.can_commit ? (
        <Alert type="success" showIcon message={t('finance.import.ready', { count: preview.totals.rows })} />
      ) : preview.error_count === 0 ? (
        <Alert type="warning" showIcon message={t('finance.import.nothing')} data-testid="import-nothing" />
      ) : null}
      <RowsTable project={project} preview={preview} />
    </Flex>
  );
}

function fieldLabel(field: string, t: (key: string, options?: Record<string, unknown>) => string): string {
  return t(`finance.import.fields.${field}`, { defaultValue: field });
}

/** Each field the server reads, the file's column it reads it from; a change reads the file again. */
function MappingTable({
  preview,
  onMap,
}: {
  preview: ImportPreview;
  onMap: (field: string, column: string | null) => void;
}) {
  const { t } = useTranslation();
  const shared = sharedColumns(preview.mapping);
  const options = preview.columns.map((column) => ({ value: column, label: column }));
  return (
    <Flex vertical gap={8}>
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('finance.import.mapping')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('finance.import.mappingHint')}</Typography.Text>
      <Table<string>
        rowKey={(field) => field}
        size="small"
        pagination={false}
        dataSource={preview.fields}
        data-testid="import-mapping"
        columns={[
          {
            title: t('finance.import.field'),
            key: 'field',
            width: 200,
            render: (_, field) => (
              <Flex gap={4} align="center">
                {preview.required.includes(field) ? (
                  <Typography.Text type="danger" aria-label={t('finance.import.required')}>
                    *
                  </Typography.Text>
                ) : null}
                <span data-testid={`mapping-field-${field}`}>{fieldLabel(field, t)}</span>
                {preview.required.includes(field) ? (
                  <Tag bordered={false} color="red">
                    {t('finance.import.required')}
                  </Tag>
                ) : null}
              </Flex>
            ),
          },
          {
            title: t('finance.import.column'),
            key: 'column',
            render: (_, field) => {
              const column = preview.mapping[field];
              return (
                <Flex gap={8} align="center">
                  <Select<string>
                    allowClear
                    style={{ width: 240 }}
                    placeholder={t('finance.import.unmapped')}
                    value={column}
                    options={options}
                    onChange={(value) => onMap(field, value ?? null)}
                    status={!column && preview.required.includes(field) ? 'error' : undefined}
                    data-testid={`mapping-select-${field}`}
                  />
                  {column && shared.has(column) ? (
                    <Typography.Text type="warning">{t('finance.import.sharedColumn')}</Typography.Text>
                  ) : null}
                </Flex>
              );
            },
          },
        ]}
      />
    </Flex>
  );
}

/** A refused commit (422): each row's problem as the server names it; else the problem itself. */
function CommitProblem({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  if (!error) return null;
  if (!(isApiError(error) && error.status === 422 && error.errors.length > 0)) {
    return <FileProblem error={error} testId="import-problem" />;
  }
  const problems = commitProblems(error.errors);
  return (
    <Flex vertical gap={8} data-testid="import-commit-problem">
      <Alert
        type="error"
        showIcon
        message={error.detail ?? t('finance.import.refused')}
        description={t('finance.import.refusedHint')}
      />
      <Table<CommitProblem>
        rowKey={(p) => `${p.row ?? ''}|${p.field}|${p.message}`}
        size="small"
        dataSource={problems}
        pagination={problems.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        onRow={() => ({ style: { background: token.colorErrorBg } })}
        columns={[
          {
            title: t('finance.import.row'),
            dataIndex: 'row',
            width: 90,
            render: (row: number | null) => (row === null ? '—' : row <= 1 ? t('finance.import.headerRow') : row),
          },
          { title: t('finance.import.message'), dataIndex: 'message' },
        ]}
      />
    </Flex>
  );
}

/** The rows that make entries, converted to the project's currency (the first 200). */
function RowsTable({ project, preview }: { project: Project; preview: ImportPreview }) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const phaseName = new Map(project.phases.map((p) => [p.id, p.name]));
  const currency = preview.totals.currency;
  const columns: ColumnsType<ImportRow> = [
    { title: t('finance.import.row'), dataIndex: 'row', width: 70 },
    {
      title: t('finance.ledger.date'),
      dataIndex: 'incurred_on',
      width: 130,
      render: (day: string) => formatDay(day, locale),
    },
    {
      title: t('finance.ledger.kind'),
      dataIndex: 'kind',
      width: 90,
      render: (kind: ImportRow['kind']) => (
        <Tag color={kind === 'actual' ? 'blue' : 'purple'}>{t(`finance.kind.${kind}`)}</Tag>
      ),
    },
    {
      title: t('finance.line'),
      key: 'line',
      render: (_, row) => (
        <Flex vertical>
          <span>{row.line_name ?? t('finance.budget.unbudgetedRow')}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`finance.category.${row.category}`)}
            {row.phase_id ? ` · ${phaseName.get(row.phase_id) ?? '—'}` : ''}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('finance.ledger.vendor'),
      key: 'vendor',
      render: (_, row) => (
        <Flex vertical>
          <span>{row.vendor ?? '—'}</span>
          {row.description ? (
            <Typography.Text type="secondary" ellipsis={{ tooltip: row.description }} style={{ maxWidth: 220 }}>
              {row.description}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    {
      title: t('finance.ledger.amount'),
      key: 'amount',
      align: 'right',
      render: (_, row) =>
        row.currency === currency ? (
          formatMoney(row.amount, row.currency, locale)
        ) : (
          <Flex vertical align="end">
            <span>{formatMoney(row.amount, row.currency, locale)}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              ≈ {formatMoney(row.amount_project, currency, locale)}
            </Typography.Text>
          </Flex>
        ),
    },
  ];
  return (
    <Flex vertical gap={8}>
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('finance.import.rows')}
      </Typography.Title>
      {preview.totals.rows > preview.rows.length ? (
        <Typography.Text type="secondary">
          {t('finance.import.rowsShown', { shown: preview.rows.length, count: preview.totals.rows })}
        </Typography.Text>
      ) : null}
      <Table<ImportRow>
        rowKey="row"
        size="small"
        columns={columns}
        dataSource={preview.rows}
        scroll={{ x: 860 }}
        pagination={{ pageSize: 10, showSizeChanger: false }}
        locale={{ emptyText: t('finance.import.noRows') }}
        data-testid="import-rows"
      />
    </Flex>
  );
}
