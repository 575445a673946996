import { App, Button, Descriptions, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '@/components/ProblemAlert';
import { formatDateTime } from '@/lib/format';
import { useSession } from '@/lib/session';
import { useWriteRetrospective, type ProjectDetail, type RetrospectiveIn } from './api';

const FIELDS = ['summary', 'went_well', 'problems', 'lessons'] as const;

/** The retrospective (复盘): written while active or closing, read-only afterwards. */
export function RetrospectiveForm({ project, editable }: { project: ProjectDetail; editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useSession();
  const [form] = Form.useForm<RetrospectiveIn>();
  const write = useWriteRetrospective(project.id);
  const retro = project.retrospective;

  if (!editable) {
    if (!retro) return <Typography.Text type="secondary">{t('projects.retro.none')}</Typography.Text>;
    return (
      <Descriptions column={1} bordered size="middle" data-testid="retro-view">
        {FIELDS.map((field) => (
          <Descriptions.Item key={field} label={t(`projects.retro.${field}`)}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
              {retro[field] || '—'}
            </Typography.Paragraph>
          </Descriptions.Item>
        ))}
      </Descriptions>
    );
  }

  return (
    <Form<RetrospectiveIn>
      form={form}
      layout="vertical"
      initialValues={{
        summary: retro?.summary ?? '',
        went_well: retro?.went_well ?? '',
        problems: retro?.problems ?? '',
        lessons: retro?.lessons ?? '',
      }}
      onFinish={(values) => write.mutate(values, { onSuccess: () => void message.success(t('projects.retro.saved')) })}
      style={{ maxWidth: 820 }}
      data-testid="retro-form"
    >
      {write.error ? <ProblemAlert error={write.error} /> : null}
      {project.status === 'closing' && !retro ? (
        <Typography.Paragraph type="warning">{t('projects.retro.requiredToFinish')}</Typography.Paragraph>
      ) : null}
      {FIELDS.map((field) => (
        <Form.Item
          key={field}
          name={field}
          label={t(`projects.retro.${field}`)}
          rules={
            field === 'summary'
              ? [{ required: true, whitespace: true, message: t('projects.retro.summaryRequired') }]
              : []
          }
        >
          <Input.TextArea
            rows={3}
            maxLength={5000}
            placeholder={t(`projects.retro.${field}Hint`)}
            data-testid={`retro-${field}`}
          />
        </Form.Item>
      ))}
      <Button type="primary" htmlType="submit" loading={write.isPending} data-testid="retro-save">
        {t('common.save')}
      </Button>
      {retro ? (
        <Typography.Text type="secondary" style={{ marginInlineStart: 12 }}>
          {t('projects.retro.updatedAt', { time: formatDateTime(retro.updated_at, me.org.timezone) })}
        </Typography.Text>
      ) : null}
    </Form>
  );
}
