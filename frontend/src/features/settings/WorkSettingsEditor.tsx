import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Form, InputNumber, Skeleton, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '@/api/errors';
import { ProblemAlert } from '@/components/ProblemAlert';
import { applyFieldErrors } from '@/lib/formErrors';
import { useSetWorkSettings, workSettingsQuery, type WorkSettings } from './api';

/** The bounds the server accepts (WorkSettingsIn): whole numbers of days. */
const GRACE_DAYS = { min: 0, max: 30 } as const;
const DIRECTOR_AFTER_DAYS = { min: 1, max: 60 } as const;

interface Values {
  checkin_grace_days: number | null;
  issue_director_after_days: number | null;
}

const FIELDS = ['checkin_grace_days', 'issue_director_after_days'] as const;

function valuesOf(settings: WorkSettings): Values {
  return {
    checkin_grace_days: settings.checkin_grace_days,
    issue_director_after_days: settings.issue_director_after_days,
  };
}

/** 工作规则: how many past days a daily check-in stays open, and when overdue issues reach the directors. */
export function WorkSettingsEditor({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const settings = useQuery(workSettingsQuery);
  const save = useSetWorkSettings();
  const [form] = Form.useForm<Values>();
  const grace = Form.useWatch('checkin_grace_days', form);
  const after = Form.useWatch('issue_director_after_days', form);
  const data = settings.data;
  const changed = !!data && (grace !== data.checkin_grace_days || after !== data.issue_director_after_days);

  useEffect(() => {
    if (data) form.setFieldsValue(valuesOf(data));
  }, [data, form]);

  const submit = (values: Values) => {
    if (!data) return;
    save.mutate(
      {
        checkin_grace_days: values.checkin_grace_days ?? GRACE_DAYS.min,
        issue_director_after_days: values.issue_director_after_days ?? DIRECTOR_AFTER_DAYS.min,
        revision: data.revision,
      },
      {
        onSuccess: () => void message.success(t('settings.work.saved')),
        onError: (error) => {
          applyFieldErrors(form, error, { fields: FIELDS });
          // Someone changed them meanwhile: the refetch loads theirs into the form.
          if (isApiError(error) && error.status === 409) void message.warning(t('settings.work.conflict'));
        },
      },
    );
  };

  const whole = (min: number, max: number) => [
    { required: true, message: t('settings.work.required') },
    {
      type: 'integer' as const,
      min,
      max,
      message: t('settings.work.range', { min, max }),
    },
  ];

  return (
    <Card title={t('settings.work.title')} variant="borderless" data-testid="work-settings">
      <Typography.Paragraph type="secondary">{t('settings.work.intro')}</Typography.Paragraph>
      {settings.error ? <ProblemAlert error={settings.error} onRetry={() => void settings.refetch()} /> : null}
      {save.error && !(isApiError(save.error) && (save.error.status === 409 || save.error.errors.length > 0)) ? (
        <ProblemAlert error={save.error} />
      ) : null}
      {settings.isLoading ? <Skeleton active /> : null}
      {data ? (
        <Form<Values>
          form={form}
          layout="vertical"
          disabled={!canManage}
          initialValues={valuesOf(data)}
          onFinish={submit}
          style={{ maxWidth: 560 }}
          data-testid="work-settings-form"
        >
          <Form.Item
            name="checkin_grace_days"
            label={t('settings.work.graceDays')}
            extra={t('settings.work.graceDaysHint')}
            rules={whole(GRACE_DAYS.min, GRACE_DAYS.max)}
          >
            <InputNumber
              min={GRACE_DAYS.min}
              max={GRACE_DAYS.max}
              precision={0}
              suffix={t('settings.work.days')}
              style={{ width: 160 }}
              data-testid="work-settings-grace"
            />
          </Form.Item>
          <Form.Item
            name="issue_director_after_days"
            label={t('settings.work.directorAfterDays')}
            extra={t('settings.work.directorAfterDaysHint')}
            rules={whole(DIRECTOR_AFTER_DAYS.min, DIRECTOR_AFTER_DAYS.max)}
          >
            <InputNumber
              min={DIRECTOR_AFTER_DAYS.min}
              max={DIRECTOR_AFTER_DAYS.max}
              precision={0}
              suffix={t('settings.work.days')}
              style={{ width: 160 }}
              data-testid="work-settings-director-after"
            />
          </Form.Item>
          {canManage ? (
            <Button
              type="primary"
              htmlType="submit"
              disabled={!changed}
              loading={save.isPending}
              data-testid="work-settings-save"
            >
              {t('common.save')}
            </Button>
          ) : null}
        </Form>
      ) : null}
    </Card>
  );
}
