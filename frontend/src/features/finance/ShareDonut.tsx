import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { donutSegments } from './model';

export interface DonutItem {
  key: string;
  label: ReactNode;
  color: string;
  /** Share in percent (the server's share_percent, adding up to 100). */
  percent: number;
  /** The share as shown, e.g. 36.67%. */
  percentText: ReactNode;
  /** What the share is of, e.g. the money used, formatted. */
  value: ReactNode;
}

const SIZE = 148;
const STROKE = 22;
const RADIUS = (SIZE - STROKE) / 2;
const CIRCUMFERENCE = 2 * Math.PI * RADIUS;

/** Shares of a whole as a ring (plain SVG) beside its legend. */
export function ShareDonut({
  items,
  center,
  testId,
}: {
  items: readonly DonutItem[];
  center?: ReactNode;
  testId?: string;
}) {
  const byKey = new Map(items.map((i) => [i.key, i]));
  const segments = donutSegments(items.map((i) => ({ key: i.key, percent: i.percent })));
  return (
    <Flex gap={24} align="center" wrap data-testid={testId}>
      <div style={{ position: 'relative', width: SIZE, height: SIZE, flex: 'none' }}>
        <svg width={SIZE} height={SIZE} viewBox={`0 0 ${SIZE} ${SIZE}`} role="img" aria-hidden>
          <g transform={`rotate(-90 ${SIZE / 2} ${SIZE / 2})`}>
            <circle cx={SIZE / 2} cy={SIZE / 2} r={RADIUS} fill="none" stroke="rgba(0,0,0,0.04)" strokeWidth={STROKE} />
            {segments.map((s) => (
              <circle
                key={s.key}
                data-key={s.key}
                cx={SIZE / 2}
                cy={SIZE / 2}
                r={RADIUS}
                fill="none"
                stroke={byKey.get(s.key)?.color}
                strokeWidth={STROKE}
                strokeDasharray={`${(s.percent / 100) * CIRCUMFERENCE} ${CIRCUMFERENCE}`}
                strokeDashoffset={-(s.offset / 100) * CIRCUMFERENCE}
              />
            ))}
          </g>
        </svg>
        {center ? (
          <Flex
            vertical
            align="center"
            justify="center"
            style={{ position: 'absolute', inset: STROKE, textAlign: 'center', lineHeight: 1.3 }}
          >
            {center}
          </Flex>
        ) : null}
      </div>
      <Flex vertical gap={6} style={{ flex: 1, minWidth: 200 }}>
        {items.map((item) => (
          <Flex key={item.key} align="center" gap={8} data-testid={testId ? `${testId}-item` : undefined}>
            <span style={{ width: 10, height: 10, borderRadius: 2, background: item.color, flex: 'none' }} />
            <Typography.Text style={{ flex: 1 }}>{item.label}</Typography.Text>
            <Typography.Text type="secondary">{item.value}</Typography.Text>
            <Typography.Text strong style={{ width: 60, textAlign: 'right' }}>
              {item.percentText}
            </Typography.Text>
          </Flex>
        ))}
      </Flex>
    </Flex>
  );
}
