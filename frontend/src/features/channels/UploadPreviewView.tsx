import { Alert, Card, Descriptions, Flex, Select, Table, Tag, theme, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { isApiError } from '@/api/errors';
import { FileProblem, RowProblems } from '@/components/SpreadsheetProblems';
import { formatDay, formatMoney, formatNumber, type DisplayLocale } from '@/lib/format';
import type { UploadPreview, UploadRow } from './api';
import {
  commitProblems,
  CUSTOM,
  customField,
  fieldChoices,
  IGNORE,
  isHeaderProblem,
  markOf,
  type CommitProblem as Problem,
} from './uploadModel';

function fieldLabel(field: string, t: TFunction): string {
  if (field.startsWith(CUSTOM)) return t('channels.upload.mapping.custom', { name: field.slice(CUSTOM.length) });
  return t(`channels.upload.fields.${field}`, { defaultValue: field });
}

/** A refused commit (422): each row's problem as the server names it; else the problem itself. */
export function CommitProblem({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  if (!error) return null;
  if (!(isApiError(error) && error.status === 422 && error.errors.some((e) => e.field.startsWith('rows[')))) {
    return <FileProblem error={error} testId="upload-problem" />;
  }
  const problems = commitProblems(error.errors);
  return (
    <Flex vertical gap={8} data-testid="upload-commit-problem">
      <Alert
        type="error"
        showIcon
        message={error.detail ?? t('channels.upload.refused')}
        description={t('channels.upload.refusedHint')}
      />
      <Table<Problem>
        rowKey={(p) => `${p.row ?? ''}|${p.field}|${p.message}`}
        size="small"
        dataSource={problems}
        pagination={problems.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        onRow={() => ({ style: { background: token.colorErrorBg } })}
        columns={[
          {
            title: t('channels.upload.problems.row'),
            dataIndex: 'row',
            width: 90,
            render: (row: number | null) => row ?? '—',
          },
          { title: t('channels.upload.problems.message'), dataIndex: 'message' },
        ]}
      />
    </Flex>
  );
}

interface UploadPreviewViewProps {
  preview: UploadPreview;
  fileName: string;
  onMap: (column: string, field: string | null) => void;
}

/** The file as the server read it: totals, the mapping of each column, the problems, the first rows. */
export function UploadPreviewView({ preview, fileName, onMap }: UploadPreviewViewProps) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={16} data-testid="upload-preview">
      <Totals preview={preview} fileName={fileName} />
      <MappingTable preview={preview} onMap={onMap} />
      {preview.error_count > 0 ? (
        <RowProblems
          problems={preview.errors}
          total={preview.error_count}
          isHeader={(row) => isHeaderProblem(row, preview.header_row)}
          fieldLabel={(field) => fieldLabel(field, t)}
          testId="upload-problems"
        />
      ) : null}
      <Rows preview={preview} />
    </Flex>
  );
}

function Totals({ preview, fileName }: { preview: UploadPreview; fileName: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const { totals } = preview;
  return (
    <Card size="small">
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, md: 4 }}
        data-testid="upload-totals"
        items={[
          { key: 'file', label: t('channels.upload.totals.file'), children: fileName || '—' },
          {
            key: 'total',
            label: t('channels.upload.totals.totalRows'),
            children: formatNumber(preview.total_rows, locale),
          },
          {
            key: 'skipped',
            label: t('channels.upload.totals.skipped'),
            children: formatNumber(preview.skipped_rows.length, locale),
          },
          {
            key: 'problems',
            label: t('channels.upload.totals.problems'),
            children: (
              <Typography.Text type={preview.error_count > 0 ? 'danger' : 'success'} data-testid="upload-error-count">
                {formatNumber(preview.error_count, locale)}
              </Typography.Text>
            ),
          },
          { key: 'rows', label: t('channels.upload.totals.rows'), children: formatNumber(totals.rows, locale) },
          {
            key: 'records',
            label: t('channels.upload.totals.records'),
            children: formatNumber(totals.records, locale),
          },
          {
            key: 'impressions',
            label: t('channels.upload.fields.impressions'),
            children: formatNumber(totals.impressions, locale),
          },
          { key: 'clicks', label: t('channels.upload.fields.clicks'), children: formatNumber(totals.clicks, locale) },
          {
            key: 'spend',
            label: t('channels.upload.fields.spend'),
            children: <strong data-testid="upload-spend">{formatMoney(totals.spend, totals.currency, locale)}</strong>,
          },
        ]}
      />
    </Card>
  );
}

/** Each column of the file and the field it is read into; a change reads the file again. */
function MappingTable({
  preview,
  onMap,
}: {
  preview: UploadPreview;
  onMap: (column: string, field: string | null) => void;
}) {
  const { t } = useTranslation();
  const choices = fieldChoices(preview);
  const options = (column: string) => {
    const custom = customField(column);
    const fields = custom && !choices.includes(custom) ? [...choices, custom] : choices;
    return [
      { value: IGNORE, label: t('channels.upload.mapping.ignore') },
      ...fields.map((field) => ({ value: field, label: fieldLabel(field, t) })),
    ];
  };
  const columns: ColumnsType<string> = [
    {
      title: t('channels.upload.mapping.column'),
      key: 'column',
      render: (_, column) => <Typography.Text strong>{column}</Typography.Text>,
    },
    {
      title: t('channels.upload.mapping.field'),
      key: 'field',
      width: 280,
      render: (_, column) => {
        const field = preview.mapping[column] ?? null;
        return (
          <Select<string>
            value={field ?? IGNORE}
            options={options(column)}
            onChange={(value) => onMap(column, value === IGNORE ? null : value)}
            style={{ width: 240 }}
            showSearch
            optionFilterProp="label"
            // A short list (the fields, a custom metric, 忽略): every option in the DOM.
            virtual={false}
            data-testid={`mapping-${column}`}
          />
        );
      },
    },
    {
      title: t('channels.upload.mapping.from'),
      key: 'mark',
      width: 120,
      render: (_, column) => {
        const mark = markOf(preview, column);
        if (mark === 'saved') {
          return (
            <Tag color="blue" data-testid="mapping-mark">
              {t('channels.upload.mapping.saved')}
            </Tag>
          );
        }
        if (mark === 'guessed') {
          return (
            <Tag color="green" data-testid="mapping-mark">
              {t('channels.upload.mapping.guessed')}
            </Tag>
          );
        }
        return null;
      },
    },
  ];
  return (
    <Card size="small" title={t('channels.upload.mapping.title')}>
      <Typography.Paragraph type="secondary">{t('channels.upload.mapping.hint')}</Typography.Paragraph>
      <Table<string>
        rowKey={(column) => column}
        size="small"
        pagination={false}
        columns={columns}
        dataSource={preview.columns.filter(Boolean)}
        data-testid="upload-mapping"
      />
    </Card>
  );
}

/** The first rows as the records they become (money in the file's currency). */
function Rows({ preview }: { preview: UploadPreview }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const count = (n: number) => formatNumber(n, locale);
  const money = (value: string, row: UploadRow) => formatMoney(value, row.currency ?? preview.totals.currency, locale);
  const columns: ColumnsType<UploadRow> = [
    { title: t('channels.upload.problems.row'), dataIndex: 'row', width: 64 },
    {
      title: t('channels.upload.fields.date'),
      key: 'date',
      width: 150,
      render: (_, r) =>
        r.hour === null
          ? formatDay(r.date, locale)
          : `${formatDay(r.date, locale)} ${String(r.hour).padStart(2, '0')}:00`,
    },
    { title: t('channels.upload.fields.channel'), dataIndex: 'channel', render: (v: string | null) => v ?? '—' },
    {
      title: t('channels.upload.fields.campaign_name'),
      key: 'campaign',
      render: (_, r) => (
        <Flex vertical>
          <span>{r.campaign_name ?? r.campaign}</span>
          {r.campaign_name ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {r.campaign}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    {
      title: t('channels.upload.fields.creative_name'),
      key: 'creative',
      render: (_, r) => r.creative_name ?? r.creative ?? '—',
    },
    { title: t('channels.upload.fields.impressions'), dataIndex: 'impressions', align: 'right', render: count },
    { title: t('channels.upload.fields.clicks'), dataIndex: 'clicks', align: 'right', render: count },
    { title: t('channels.upload.fields.spend'), dataIndex: 'spend', align: 'right', render: money },
    { title: t('channels.upload.fields.conversions'), dataIndex: 'conversions', align: 'right', render: count },
    { title: t('channels.upload.fields.revenue'), dataIndex: 'revenue', align: 'right', render: money },
    { title: t('channels.upload.fields.leads'), dataIndex: 'leads', align: 'right', render: count },
  ];
  return (
    <Card size="small" title={t('channels.upload.rows.title')}>
      {preview.totals.rows > preview.rows.length ? (
        <Typography.Paragraph type="secondary">
          {t('channels.upload.rows.shown', { shown: preview.rows.length, count: preview.totals.rows })}
        </Typography.Paragraph>
      ) : null}
      <Table<UploadRow>
        rowKey="row"
        size="small"
        columns={columns}
        dataSource={preview.rows}
        scroll={{ x: 1000 }}
        pagination={false}
        locale={{ emptyText: t('channels.upload.rows.empty') }}
        data-testid="upload-rows"
      />
    </Card>
  );
}
