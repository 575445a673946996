import { Card, Flex, Statistic } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

export interface Kpi {
  key: string;
  title: ReactNode;
  /** A real figure; undefined while it loads. A figure nobody measures has no card at all. */
  value: string | number | undefined;
  suffix?: ReactNode;
  /** The figure's colour, e.g. red when it misses its target. */
  color?: string;
  icon?: ReactNode;
  /** Where the figure comes from (a filtered list). */
  to?: string;
}

/** A row of equal KPI cards that wraps on narrow screens. */
export function KpiRow({ items }: { items: Kpi[] }) {
  if (items.length === 0) return null;
  return (
    <Flex wrap gap={16} style={{ marginBottom: 16 }}>
      {items.map((kpi) => (
        <Card
          key={kpi.key}
          variant="borderless"
          data-testid={`kpi-${kpi.key}`}
          style={{ flex: '1 1 200px', minWidth: 0 }}
        >
          <Statistic
            title={kpi.to ? <Link to={kpi.to}>{kpi.title}</Link> : kpi.title}
            value={kpi.value ?? 0}
            loading={kpi.value === undefined}
            prefix={kpi.icon}
            suffix={kpi.suffix}
            valueStyle={kpi.color ? { color: kpi.color } : undefined}
          />
        </Card>
      ))}
    </Flex>
  );
}
