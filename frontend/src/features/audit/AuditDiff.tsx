import { Col, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AuditLog } from './api';

function changedKeys(before: unknown, after: unknown): Set<string> {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
  return new Set([...keys].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k])));
}

function JsonBlock({ value, highlight, testId }: { value: unknown; highlight: Set<string>; testId: string }) {
  const { t } = useTranslation();
  if (value === null || value === undefined) {
    return (
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('common.none')}
      </Typography.Paragraph>
    );
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return (
      <pre className="audit-json" data-testid={testId}>
        {JSON.stringify(value, null, 2)}
      </pre>
    );
  }
  // One line per key, with changed keys marked, so a reviewer sees the change at once.
  const entries = Object.entries(value as Record<string, unknown>);
  return (
    <pre className="audit-json" data-testid={testId}>
      {'{\n'}
      {entries.map(([key, v], i) => (
        <span key={key} className={highlight.has(key) ? 'audit-json-changed' : undefined}>
          {`  ${JSON.stringify(key)}: ${JSON.stringify(v)}${i < entries.length - 1 ? ',' : ''}\n`}
        </span>
      ))}
      {'}'}
    </pre>
  );
}

/** Before and after side by side; keys whose value changed are highlighted. */
export function AuditDiff({ entry }: { entry: AuditLog }) {
  const { t } = useTranslation();
  const changed = changedKeys(entry.before, entry.after);
  return (
    <Row gutter={16}>
      <Col xs={24} md={12}>
        <Typography.Text strong>{t('audit.before')}</Typography.Text>
        <JsonBlock value={entry.before} highlight={changed} testId={`audit-before-${entry.id}`} />
      </Col>
      <Col xs={24} md={12}>
        <Typography.Text strong>{t('audit.after')}</Typography.Text>
        <JsonBlock value={entry.after} highlight={changed} testId={`audit-after-${entry.id}`} />
      </Col>
      {entry.request_id ? (
        <Col span={24}>
          <Typography.Text type="secondary">
            {t('audit.requestId')}:{' '}
            <Typography.Text code copyable>
              {entry.request_id}
            </Typography.Text>
          </Typography.Text>
        </Col>
      ) : null}
    </Row>
  );
}
