import { Card, Col, Row, Statistic } from 'antd';
import type { ReactNode } from 'react';
import { EmptyState } from '@/components/EmptyState';

export interface Kpi {
  key: string;
  title: ReactNode;
  value?: ReactNode;
  suffix?: ReactNode;
  icon?: ReactNode;
}

/** A row of KPI cards; values not yet measured show a dash. */
export function KpiRow({ items }: { items: Kpi[] }) {
  const span = Math.max(4, Math.floor(24 / items.length));
  return (
    <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
      {items.map((kpi) => (
        <Col key={kpi.key} xs={24} sm={12} lg={span}>
          <Card variant="borderless" data-testid={`kpi-${kpi.key}`}>
            <Statistic
              title={kpi.title}
              value={kpi.value === undefined ? '—' : (kpi.value as string | number)}
              prefix={kpi.icon}
              suffix={kpi.suffix}
            />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

/** A dashboard panel whose module is not built yet: title plus an empty state. */
export function EmptyPanel({ title, description, testId }: { title: ReactNode; description: ReactNode; testId?: string }) {
  return (
    <Card title={title} variant="borderless" style={{ height: '100%' }} data-testid={testId}>
      <EmptyState compact description={description} />
    </Card>
  );
}
