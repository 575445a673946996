import { CheckOutlined, CloseOutlined, EditOutlined, UndoOutlined } from '@ant-design/icons';
import { App, Button, Flex, InputNumber, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '@/lib/errorText';
import type { DisplayLocale } from '@/lib/format';
import {
  usePutBenchmarks,
  useResetBenchmark,
  type BenchmarkCell,
  type BenchmarkMetric,
  type Benchmarks,
  type Industry,
} from './api';
import { cellValue, editValue, formatBenchmark, GRID_METRICS, gridRows, isRatio, type GridRow } from './benchmarkModel';

interface Spot {
  kind: GridRow['kind'];
  metric: BenchmarkMetric;
}

interface CellEditorProps {
  cell: BenchmarkCell;
  metric: BenchmarkMetric;
  pending: boolean;
  onSave: (typed: string | null) => void;
  onCancel: () => void;
}

/** The value being typed: a percent for CTR and CVR (1.5 for 1.5 %), yuan or a ratio otherwise. */
function CellEditor({ cell, metric, pending, onSave, onCancel }: CellEditorProps) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState<string | null>(editValue(metric, cell.value));
  return (
    <Space.Compact size="small" data-testid="benchmark-editor">
      <InputNumber<string>
        stringMode
        autoFocus
        min="0"
        max={isRatio(metric) ? '100' : undefined}
        value={typed}
        onChange={setTyped}
        onPressEnter={() => onSave(typed)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onCancel();
        }}
        prefix={metric === 'cpc' || metric === 'cpm' || metric === 'cpa' ? '¥' : undefined}
        suffix={isRatio(metric) ? '%' : undefined}
        style={{ width: 130 }}
        aria-label={t(`channels.benchmarks.metrics.${metric}`)}
        data-testid="benchmark-input"
      />
      <Button
        type="primary"
        icon={<CheckOutlined />}
        loading={pending}
        onClick={() => onSave(typed)}
        aria-label={t('common.save')}
        data-testid="benchmark-save"
      />
      <Button icon={<CloseOutlined />} onClick={onCancel} aria-label={t('common.cancel')} />
    </Space.Compact>
  );
}

interface BenchmarkGridProps {
  grid: Benchmarks;
  industry: Industry;
  canManage: boolean;
  locale: DisplayLocale;
}

/**
 * The grid of one industry: a row per channel kind, a column per metric. A cell the
 * organisation set is tagged 已调整 (the shipped value on hover); managers change a cell in
 * place and bring the shipped value back.
 */
export function BenchmarkGrid({ grid, industry, canManage, locale }: BenchmarkGridProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const put = usePutBenchmarks();
  const reset = useResetBenchmark();
  const [editing, setEditing] = useState<Spot | null>(null);
  const failed = (error: unknown) => void message.error(errorText(error, t));

  const save = (spot: Spot, typed: string | null) => {
    const read = cellValue(spot.metric, typed);
    if ('problem' in read) {
      void message.error(t(`channels.benchmarks.problems.${read.problem}`, { text: typed ?? '' }));
      return;
    }
    put.mutate(
      { industry, items: [{ channel_kind: spot.kind, metric: spot.metric, value: read.value }] },
      {
        onSuccess: () => {
          setEditing(null);
          void message.success(t('channels.benchmarks.saved'));
        },
        onError: failed,
      },
    );
  };

  const restore = (spot: Spot) =>
    reset.mutate(
      { industry, channel_kind: spot.kind, metric: spot.metric },
      { onSuccess: () => void message.success(t('channels.benchmarks.restored')), onError: failed },
    );

  const renderCell = (row: GridRow, metric: BenchmarkMetric) => {
    const cell = row.cells[metric];
    if (!cell) return '—';
    const spot = { kind: row.kind, metric };
    if (editing?.kind === row.kind && editing.metric === metric) {
      return (
        <CellEditor
          cell={cell}
          metric={metric}
          pending={put.isPending}
          onSave={(typed) => save(spot, typed)}
          onCancel={() => setEditing(null)}
        />
      );
    }
    return (
      <Flex align="center" gap={4} wrap data-testid={`benchmark-${row.kind}-${metric}`}>
        <Typography.Text strong={cell.overridden} data-testid="benchmark-value">
          {formatBenchmark(metric, cell.value, locale)}
        </Typography.Text>
        {cell.overridden ? (
          <Tooltip
            title={t('channels.benchmarks.shippedValue', { value: formatBenchmark(metric, cell.shipped, locale) })}
          >
            <Tag color="blue" bordered={false} style={{ marginInlineEnd: 0 }} data-testid="benchmark-overridden">
              {t('channels.benchmarks.overridden')}
            </Tag>
          </Tooltip>
        ) : null}
        {canManage ? (
          <>
            <Tooltip title={t('channels.benchmarks.edit')}>
              <Button
                size="small"
                type="text"
                icon={<EditOutlined />}
                onClick={() => setEditing(spot)}
                aria-label={t('channels.benchmarks.edit')}
                data-testid="benchmark-edit"
              />
            </Tooltip>
            {cell.overridden ? (
              <Popconfirm
                title={t('channels.benchmarks.restoreConfirm', {
                  value: formatBenchmark(metric, cell.shipped, locale),
                })}
                okText={t('channels.benchmarks.restore')}
                cancelText={t('common.cancel')}
                onConfirm={() => restore(spot)}
              >
                <Tooltip title={t('channels.benchmarks.restore')}>
                  <Button
                    size="small"
                    type="text"
                    icon={<UndoOutlined />}
                    loading={
                      reset.isPending && reset.variables?.channel_kind === row.kind && reset.variables.metric === metric
                    }
                    aria-label={t('channels.benchmarks.restore')}
                    data-testid="benchmark-restore"
                  />
                </Tooltip>
              </Popconfirm>
            ) : null}
          </>
        ) : null}
      </Flex>
    );
  };

  const columns: ColumnsType<GridRow> = [
    {
      title: t('channels.benchmarks.kind'),
      key: 'kind',
      fixed: 'left',
      width: 110,
      render: (_, row) => <Typography.Text strong>{t(`channels.kinds.${row.kind}`)}</Typography.Text>,
    },
    ...GRID_METRICS.map((metric) => ({
      title: (
        <Tooltip title={t(`channels.benchmarks.hints.${metric}`)}>
          <span>{t(`channels.benchmarks.metrics.${metric}`)}</span>
        </Tooltip>
      ),
      key: metric,
      width: canManage ? 190 : 130,
      render: (_: unknown, row: GridRow) => renderCell(row, metric),
    })),
  ];

  return (
    <Table<GridRow>
      rowKey="kind"
      size="middle"
      columns={columns}
      dataSource={gridRows(grid.items)}
      pagination={false}
      scroll={{ x: 'max-content' }}
      data-testid="benchmark-grid"
    />
  );
}
