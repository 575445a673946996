import { Empty, Typography } from 'antd';
import type { ReactNode } from 'react';

interface EmptyStateProps {
  title?: ReactNode;
  description?: ReactNode;
  /** An action such as a "create" button. */
  action?: ReactNode;
  /** Smaller variant for cards on dashboards. */
  compact?: boolean;
  testId?: string;
}

export function EmptyState({ title, description, action, compact, testId }: EmptyStateProps) {
  return (
    <Empty
      data-testid={testId}
      image={compact ? Empty.PRESENTED_IMAGE_SIMPLE : Empty.PRESENTED_IMAGE_DEFAULT}
      style={{ margin: compact ? '16px 0' : '48px 0' }}
      description={
        <>
          {title ? (
            <Typography.Title level={compact ? 5 : 4} style={{ marginBottom: 4 }}>
              {title}
            </Typography.Title>
          ) : null}
          {description ? <Typography.Text type="secondary">{description}</Typography.Text> : null}
        </>
      }
    >
      {action}
    </Empty>
  );
}
