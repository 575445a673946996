import { Card, Flex, Statistic } from 'antd';
import type { ReactNode } from 'react';
import { EmptyState } from '@/components/EmptyState';

export interface Kpi {
  key: string;
  title: ReactNode;
  value?: string | number;
  suffix?: ReactNode;
  icon?: ReactNode;
}

/** A row of equal KPI cards that wraps on narrow screens; values not yet measured show a dash. */
export function KpiRow({ items }: { items: Kpi[] }) {
  return (
    <Flex wrap gap={16} style={{ marginBottom: 16 }}>
      {items.map((kpi) => (
        <Card
          key={kpi.key}
          variant="borderless"
          data-testid={`kpi-${kpi.key}`}
          style={{ flex: '1 1 200px', minWidth: 0 }}
        >
          <Statistic title={kpi.title} value={kpi.value ?? '—'} prefix={kpi.icon} suffix={kpi.suffix} />
        </Card>
      ))}
    </Flex>
  );
}

interface EmptyPanelProps {
  title: ReactNode;
  description: ReactNode;
  testId?: string;
  /** Stretch to the row's height (side-by-side panels); off when panels are stacked. */
  fill?: boolean;
}

/** A dashboard panel whose module is not built yet: title plus an empty state. */
export function EmptyPanel({ title, description, testId, fill = true }: EmptyPanelProps) {
  return (
    <Card title={title} variant="borderless" style={fill ? { height: '100%' } : undefined} data-testid={testId}>
      <EmptyState compact description={description} />
    </Card>
  );
}
