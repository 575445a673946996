import { Alert, Flex, Table, theme, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { isApiError } from '@/api/errors';
import { errorText } from '@/lib/errorText';
import { ProblemAlert } from './ProblemAlert';

/** A problem the server found in an uploaded spreadsheet, by its row and column. */
export interface RowProblem {
  row: number;
  column?: string | null;
  field?: string | null;
  message: string;
}

interface RowProblemsProps<P extends RowProblem> {
  /** The problems the server lists (the first ones). */
  problems: P[];
  /** How many it found in all. */
  total: number;
  /** Whether a row is the header's (a problem with the columns, not with data). */
  isHeader: (row: number) => boolean;
  /** The field a column was mapped to, as the page names it. */
  fieldLabel: (field: string) => string;
  testId: string;
}

/**
 * A spreadsheet's problems as the server found them, by the row number the spreadsheet shows
 * and the file's column (with the field it was mapped to), and how many in all: the channel
 * data upload and the cost import both show them so.
 */
export function RowProblems<P extends RowProblem>({
  problems,
  total,
  isHeader,
  fieldLabel,
  testId,
}: RowProblemsProps<P>) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const columns: ColumnsType<P> = [
    {
      title: t('spreadsheet.row'),
      dataIndex: 'row',
      width: 90,
      render: (row: number) => (isHeader(row) ? t('spreadsheet.header') : row),
    },
    {
      title: t('spreadsheet.column'),
      key: 'column',
      width: 200,
      render: (_, problem) =>
        problem.column ? (
          <Flex vertical>
            <span>{problem.column}</span>
            {problem.field && fieldLabel(problem.field) !== problem.column ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {fieldLabel(problem.field)}
              </Typography.Text>
            ) : null}
          </Flex>
        ) : (
          '—'
        ),
    },
    { title: t('spreadsheet.message'), dataIndex: 'message' },
  ];
  return (
    <Flex vertical gap={8} data-testid={testId}>
      <Alert
        type="error"
        showIcon
        message={t('spreadsheet.title', { count: total })}
        description={
          total > problems.length
            ? t('spreadsheet.shown', { shown: problems.length, count: total })
            : t('spreadsheet.hint')
        }
      />
      <Table<P>
        rowKey={(p) => `${p.row}|${p.column}|${p.field}|${p.message}`}
        size="small"
        columns={columns}
        dataSource={problems}
        pagination={problems.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        rowClassName="row-problem"
        onRow={() => ({ style: { background: token.colorErrorBg } })}
      />
    </Flex>
  );
}

/** A spreadsheet the server would not read: 413 too large, 415 not a spreadsheet, 422 unreadable. */
export function FileProblem({ error, testId }: { error: unknown; testId: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (isApiError(error) && (error.status === 413 || error.status === 415)) {
    return (
      <Alert
        type="error"
        showIcon
        data-testid={testId}
        message={t(error.status === 413 ? 'spreadsheet.tooLarge' : 'spreadsheet.unsupported')}
        description={errorText(error, t)}
      />
    );
  }
  if (isApiError(error) && error.status === 422 && error.errors.length > 0) {
    return (
      <Alert
        type="error"
        showIcon
        data-testid={testId}
        message={t('spreadsheet.unreadable')}
        description={error.errors.map((e) => e.message).join(' ')}
      />
    );
  }
  return <ProblemAlert error={error} testId={testId} />;
}
