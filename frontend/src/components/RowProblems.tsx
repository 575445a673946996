import { Alert, Flex, Table, theme, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';

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
      title: t('rowProblems.row'),
      dataIndex: 'row',
      width: 90,
      render: (row: number) => (isHeader(row) ? t('rowProblems.header') : row),
    },
    {
      title: t('rowProblems.column'),
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
    { title: t('rowProblems.message'), dataIndex: 'message' },
  ];
  return (
    <Flex vertical gap={8} data-testid={testId}>
      <Alert
        type="error"
        showIcon
        message={t('rowProblems.title', { count: total })}
        description={
          total > problems.length
            ? t('rowProblems.shown', { shown: problems.length, count: total })
            : t('rowProblems.hint')
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
