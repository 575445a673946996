import { Flex, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatDay, formatDecimal, type DisplayLocale } from '@/lib/format';
import { diffRows, enumKey, shortId, valueKind, type AuditLog, type DiffRow } from './model';

export interface Names {
  member: (id: string) => string | undefined;
  team: (id: string) => string | undefined;
}

interface AuditDiffProps {
  entry: AuditLog;
  names: Names;
  timezone: string;
}

function Value({ entry, field, value, names, timezone }: { value: unknown; field: string } & AuditDiffProps) {
  const { t, i18n } = useTranslation();
  const locale: DisplayLocale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const kind = valueKind(field, value);
  switch (kind) {
    case 'empty':
      return <Typography.Text type="secondary">—</Typography.Text>;
    case 'boolean':
      return <>{t(value ? 'audit.yes' : 'audit.no')}</>;
    case 'member':
    case 'team': {
      const id = value as string;
      const name = kind === 'member' ? names.member(id) : names.team(id);
      return name ? <>{name}</> : <Typography.Text code>{shortId(id)}</Typography.Text>;
    }
    case 'day':
      return <>{formatDay(value as string, locale)}</>;
    case 'moment':
      return <>{formatDateTime(value as string, timezone)}</>;
    case 'decimal':
      return <>{formatDecimal(value as string, locale)}</>;
    case 'json':
      return (
        <Typography.Text code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
          {JSON.stringify(value)}
        </Typography.Text>
      );
    default: {
      const text = String(value);
      const key = enumKey(entry.entity_type, field, text);
      return <span style={{ whiteSpace: 'pre-wrap' }}>{key ? t(key, { defaultValue: text }) : text}</span>;
    }
  }
}

/** A change as a table: one row per field, with its name in the reader's language, before and after. */
export function AuditDiff({ entry, names, timezone }: AuditDiffProps) {
  const { t } = useTranslation();
  const rows = diffRows(entry);
  const props = { entry, names, timezone };
  return (
    <Flex vertical gap={8}>
      <Table<DiffRow>
        rowKey="field"
        size="small"
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: t('audit.noChanges') }}
        data-testid={`audit-diff-${entry.id}`}
        columns={[
          {
            title: t('audit.field'),
            dataIndex: 'field',
            width: 180,
            render: (field: string) => (
              <Typography.Text strong data-testid="audit-field">
                {t(`audit.fields.${field}`, { defaultValue: field })}
              </Typography.Text>
            ),
          },
          ...(entry.action === 'create'
            ? []
            : [
                {
                  title: t('audit.before'),
                  dataIndex: 'before',
                  width: '40%',
                  render: (value: unknown, row: DiffRow) => <Value {...props} field={row.field} value={value} />,
                },
              ]),
          ...(entry.action === 'delete'
            ? []
            : [
                {
                  title: t('audit.after'),
                  dataIndex: 'after',
                  width: '40%',
                  render: (value: unknown, row: DiffRow) => <Value {...props} field={row.field} value={value} />,
                },
              ]),
        ]}
      />
      {entry.request_id ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('audit.requestId')}:{' '}
          <Typography.Text code copyable style={{ fontSize: 12 }}>
            {entry.request_id}
          </Typography.Text>
        </Typography.Text>
      ) : null}
    </Flex>
  );
}
