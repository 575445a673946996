import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Form, InputNumber, Skeleton, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '@/api/errors';
import { ProblemAlert } from '@/components/ProblemAlert';
import { applyFieldErrors } from '@/lib/formErrors';
import { financeSettingsQuery, useSetFinanceSettings, type FinanceSettings } from './api';

interface Values {
  warn_percent: number | null;
  critical_percent: number | null;
}

const FIELDS = ['warn_percent', 'critical_percent'] as const;
const MAX_PERCENT = 9999.99;

function valuesOf(settings: FinanceSettings): Values {
  return { warn_percent: Number(settings.warn_percent), critical_percent: Number(settings.critical_percent) };
}

/** 预算预警阈值: the percent of a budget at which used money warns and is critical, for every project without its own. */
export function FinanceSettingsEditor({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const settings = useQuery(financeSettingsQuery);
  const save = useSetFinanceSettings();
  const [form] = Form.useForm<Values>();
  const warn = Form.useWatch('warn_percent', form);
  const critical = Form.useWatch('critical_percent', form);
  const data = settings.data;
  const changed = !!data && (warn !== Number(data.warn_percent) || critical !== Number(data.critical_percent));

  useEffect(() => {
    if (data) form.setFieldsValue(valuesOf(data));
  }, [data, form]);

  const submit = (values: Values) => {
    if (!data || values.warn_percent == null || values.critical_percent == null) return;
    save.mutate(
      {
        warn_percent: values.warn_percent.toFixed(2),
        critical_percent: values.critical_percent.toFixed(2),
        revision: data.revision,
      },
      {
        onSuccess: () => void message.success(t('settings.finance.saved')),
        onError: (error) => {
          applyFieldErrors(form, error, { fields: FIELDS });
          if (isApiError(error) && error.status === 409) void message.warning(t('settings.finance.conflict'));
        },
      },
    );
  };

  const percent = [
    { required: true, message: t('settings.finance.required') },
    { type: 'number' as const, min: 0.01, max: MAX_PERCENT, message: t('settings.finance.range') },
  ];

  return (
    <Card title={t('settings.finance.title')} variant="borderless" data-testid="finance-settings">
      <Typography.Paragraph type="secondary">{t('settings.finance.intro')}</Typography.Paragraph>
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
          data-testid="finance-settings-form"
        >
          <Form.Item name="warn_percent" label={t('settings.finance.warn')} rules={percent}>
            <InputNumber
              min={0.01}
              max={MAX_PERCENT}
              precision={2}
              suffix="%"
              style={{ width: 160 }}
              data-testid="finance-settings-warn"
            />
          </Form.Item>
          <Form.Item
            name="critical_percent"
            label={t('settings.finance.critical')}
            extra={t('settings.finance.criticalHint')}
            dependencies={['warn_percent']}
            rules={[
              ...percent,
              ({ getFieldValue }) => ({
                validator: (_rule, value: number | null) =>
                  value == null || getFieldValue('warn_percent') == null || value >= getFieldValue('warn_percent')
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('settings.finance.order'))),
              }),
            ]}
          >
            <InputNumber
              min={0.01}
              max={MAX_PERCENT}
              precision={2}
              suffix="%"
              style={{ width: 160 }}
              data-testid="finance-settings-critical"
            />
          </Form.Item>
          {canManage ? (
            <Button
              type="primary"
              htmlType="submit"
              disabled={!changed}
              loading={save.isPending}
              data-testid="finance-settings-save"
            >
              {t('common.save')}
            </Button>
          ) : null}
        </Form>
      ) : null}
    </Card>
  );
}
