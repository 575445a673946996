import { Flex, Typography } from 'antd';
import { useEffect, type ReactNode } from 'react';

interface PageHeaderProps {
  title: ReactNode;
  subtitle?: ReactNode;
  /** Buttons or filters shown on the right. */
  extra?: ReactNode;
  /** Lets tests find a specific page heading, e.g. home-director. */
  testId?: string;
}

export function PageHeader({ title, subtitle, extra, testId }: PageHeaderProps) {
  // The browser tab names the page, so several open tabs can be told apart.
  useEffect(() => {
    if (typeof title === 'string') document.title = `${title} · MEMS`;
  }, [title]);

  return (
    <Flex justify="space-between" align="flex-start" gap={16} wrap style={{ marginBottom: 20 }}>
      <div>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid={testId}>
          {title}
        </Typography.Title>
        {subtitle ? (
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 4 }}>
            {subtitle}
          </Typography.Text>
        ) : null}
      </div>
      {extra ? (
        <Flex gap={8} wrap>
          {extra}
        </Flex>
      ) : null}
    </Flex>
  );
}
