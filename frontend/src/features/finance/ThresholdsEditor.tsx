import { SettingOutlined } from '@ant-design/icons';
import { App, Button, Form, InputNumber, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from '@/components/FormModal';
import type { ProjectFinanceProps } from '@/lib/financePanels';
import { applyFieldErrors } from '@/lib/formErrors';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import type { BudgetSummary } from './api';
import { percentProblem } from './requestModel';
import { useSetThresholds } from './requestsApi';

interface ThresholdValues {
  /** Use the organisation's thresholds (both sent as null). */
  orgDefault: boolean;
  warn_percent?: string | null;
  critical_percent?: string | null;
}

const FIELDS = ['warn_percent', 'critical_percent'] as const;

/**
 * 预警阈值: the project's own warn / critical thresholds, or the organisation's. Finance sets
 * them on any project, the others on the projects they manage (the server's rule).
 */
export function ThresholdsButton({ project, mayManage, summary }: ProjectFinanceProps & { summary: BudgetSummary }) {
  const { t } = useTranslation();
  const me = useSession();
  const [open, setOpen] = useState(false);
  const visible =
    hasPermission(me, PERMISSIONS.costsRecord) && (hasPermission(me, PERMISSIONS.costsVerify) || mayManage);
  if (!visible) return null;
  return (
    <>
      <Button icon={<SettingOutlined />} onClick={() => setOpen(true)} data-testid="thresholds-open">
        {t('finance.thresholds.action')}
      </Button>
      {open ? <ThresholdsModal projectId={project.id} summary={summary} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function ThresholdsModal({
  projectId,
  summary,
  onClose,
}: {
  projectId: string;
  summary: BudgetSummary;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ThresholdValues>();
  const save = useSetThresholds(projectId);
  const orgDefault = Form.useWatch('orgDefault', form) ?? summary.thresholds.source !== 'project';
  const th = summary.thresholds;

  const submit = (values: ThresholdValues) => {
    const body = values.orgDefault
      ? { warn_percent: null, critical_percent: null }
      : { warn_percent: String(values.warn_percent).trim(), critical_percent: String(values.critical_percent).trim() };
    save.mutate(body, {
      onSuccess: () => {
        void message.success(t('finance.thresholds.saved'));
        onClose();
      },
      onError: (error) => void applyFieldErrors(form, error, { fields: FIELDS }),
    });
  };

  const percentRule = {
    validator: (_: unknown, value: unknown) => {
      if (form.getFieldValue('orgDefault')) return Promise.resolve();
      const problem = percentProblem(value);
      return problem ? Promise.reject(new Error(t(`finance.thresholds.form.${problem}`))) : Promise.resolve();
    },
  };
  const orderRule = {
    validator: (_: unknown, value: unknown) => {
      const critical: unknown = form.getFieldValue('critical_percent');
      if (form.getFieldValue('orgDefault') || percentProblem(value) || percentProblem(critical)) {
        return Promise.resolve();
      }
      return Number(value) > Number(critical)
        ? Promise.reject(new Error(t('finance.thresholds.form.aboveCritical')))
        : Promise.resolve();
    },
  };

  return (
    <FormModal<ThresholdValues>
      form={form}
      open
      title={t('finance.thresholds.title')}
      okText={t('common.save')}
      onSubmit={submit}
      onCancel={onClose}
      pending={save.isPending}
      error={save.error}
      width={420}
      submitTestId="thresholds-submit"
      formTestId="thresholds-form"
      initialValues={{
        orgDefault: th.source !== 'project',
        warn_percent: th.warn_percent,
        critical_percent: th.critical_percent,
      }}
    >
      <Typography.Paragraph type="secondary">{t('finance.thresholds.hint')}</Typography.Paragraph>
      <Form.Item name="orgDefault" label={t('finance.thresholds.orgDefault')} valuePropName="checked">
        <Switch
          data-testid="thresholds-org-default"
          onChange={() => void form.validateFields([...FIELDS]).catch(() => undefined)}
        />
      </Form.Item>
      <Form.Item
        name="warn_percent"
        label={t('finance.thresholds.warn')}
        required={!orgDefault}
        dependencies={['critical_percent', 'orgDefault']}
        rules={[percentRule, orderRule]}
      >
        <InputNumber<string>
          stringMode
          min="0"
          suffix="%"
          disabled={orgDefault}
          style={{ width: '100%' }}
          data-testid="thresholds-warn"
        />
      </Form.Item>
      <Form.Item
        name="critical_percent"
        label={t('finance.thresholds.critical')}
        required={!orgDefault}
        dependencies={['orgDefault']}
        rules={[percentRule]}
      >
        <InputNumber<string>
          stringMode
          min="0"
          suffix="%"
          disabled={orgDefault}
          style={{ width: '100%' }}
          data-testid="thresholds-critical"
        />
      </Form.Item>
    </FormModal>
  );
}
