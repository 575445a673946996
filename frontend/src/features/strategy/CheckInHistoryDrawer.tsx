import { useQuery } from '@tanstack/react-query';
import { Descriptions, Drawer, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '@/components/ProblemAlert';
import { ProgressBar } from '@/components/ProgressBar';
import { formatDateTime, formatDay } from '@/lib/format';
import { useSession } from '@/lib/session';
import { checkInsQuery, type CheckIn, type Kpi } from './api';
import { DirectionTag } from './GoalTree';
import { useDisplayLocale, useMemberDirectory } from './hooks';
import { formatKpiRange, formatKpiValue } from './model';

const PAGE_SIZE = 10;

interface CheckInHistoryDrawerProps {
  kpi: Kpi;
  open: boolean;
  onClose: () => void;
  afterClose: () => void;
}

/** A KPI's dated values, newest first, with who recorded them. */
export function CheckInHistoryDrawer({ kpi, open, onClose, afterClose }: CheckInHistoryDrawerProps) {
  const { t } = useTranslation();
  const me = useSession();
  const locale = useDisplayLocale();
  const { nameOf } = useMemberDirectory();
  const [page, setPage] = useState(1);
  const history = useQuery(checkInsQuery(kpi.id, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }));

  const columns: ColumnsType<CheckIn> = [
    {
      title: t('strategy.history.date'),
      dataIndex: 'checked_on',
      width: 130,
      render: (day: string) => formatDay(day, locale),
    },
    {
      title: t('strategy.history.value'),
      dataIndex: 'value',
      width: 130,
      render: (value: string) => <Typography.Text strong>{formatKpiValue(value, kpi.unit, locale)}</Typography.Text>,
    },
    {
      title: t('strategy.history.note'),
      dataIndex: 'note',
      render: (note: string | null) => note ?? <Typography.Text type="secondary">—</Typography.Text>,
    },
    {
      title: t('strategy.history.by'),
      dataIndex: 'created_by_member_id',
      width: 150,
      render: (id: string | null, entry) => (
        <Typography.Text title={formatDateTime(entry.created_at, me.org.timezone)}>
          {nameOf(id) ?? t('strategy.noOwner')}
        </Typography.Text>
      ),
    },
  ];

  return (
    <Drawer
      open={open}
      onClose={onClose}
      afterOpenChange={(visible) => {
        if (!visible) afterClose();
      }}
      width={640}
      title={t('strategy.history.titleFor', { name: kpi.name })}
      data-testid="check-in-history"
    >
      <Descriptions
        size="small"
        column={2}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'range', label: t('strategy.kpi.range'), children: formatKpiRange(kpi, locale) },
          {
            key: 'direction',
            label: t('strategy.kpi.direction'),
            children: <DirectionTag direction={kpi.direction} />,
          },
          {
            key: 'current',
            label: t('strategy.kpi.current'),
            children: formatKpiValue(kpi.current_value, kpi.unit, locale),
          },
          {
            key: 'attainment',
            label: t('strategy.kpi.attainment'),
            children: (
              <div style={{ width: 200 }}>
                <ProgressBar progress={kpi.attainment} />
              </div>
            ),
          },
        ]}
      />
      {history.error ? <ProblemAlert error={history.error} onRetry={() => void history.refetch()} /> : null}
      <Table<CheckIn>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={history.data?.items ?? []}
        loading={history.isFetching}
        locale={{ emptyText: t('strategy.history.empty') }}
        data-testid="check-in-history-table"
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: history.data?.total ?? 0,
          hideOnSinglePage: true,
          showTotal: (total) => t('common.total', { total }),
          onChange: setPage,
        }}
      />
    </Drawer>
  );
}
