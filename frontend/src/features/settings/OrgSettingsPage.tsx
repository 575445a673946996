import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Select, Skeleton } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '@/api/errors';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { applyFieldErrors } from '@/lib/formErrors';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import { orgQuery, useUpdateOrg, type Org } from './api';
import { ApprovalFlowsEditor } from './ApprovalFlowsEditor';
import { NamingConventionEditor } from './NamingConventionEditor';
import { WorkCalendarEditor } from './WorkCalendarEditor';
import { FinanceSettingsEditor } from './FinanceSettingsEditor';
import { WorkSettingsEditor } from './WorkSettingsEditor';

interface FormValues {
  name: string;
  timezone: string;
  locale: string;
}

const COMMON_TIMEZONES = ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Singapore', 'Asia/Tokyo', 'UTC'];
const LOCALES = ['zh-CN', 'en'];

function allTimezones(current?: string): string[] {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  return [...new Set([...COMMON_TIMEZONES, ...(current ? [current] : []), ...zones])];
}

export function OrgSettingsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useSession();
  const canManage = hasPermission(me, PERMISSIONS.orgManage);
  const org = useQuery(orgQuery);
  const update = useUpdateOrg();
  const [form] = Form.useForm<FormValues>();

  useEffect(() => {
    if (org.data) form.setFieldsValue({ name: org.data.name, timezone: org.data.timezone, locale: org.data.locale });
  }, [org.data, form]);

  const timezoneOptions = useMemo(
    () => allTimezones(org.data?.timezone).map((tz) => ({ value: tz, label: tz })),
    [org.data?.timezone],
  );
  const localeOptions = [...new Set([...LOCALES, ...(org.data ? [org.data.locale] : [])])].map((locale) => ({
    value: locale,
    label: t(`lang.${locale}`, { defaultValue: locale }),
  }));

  const save = (values: FormValues, current: Org) => {
    update.mutate(
      { name: values.name.trim(), timezone: values.timezone, locale: values.locale, version: current.version },
      {
        onSuccess: () => void message.success(t('settings.saved')),
        onError: (error) => {
          applyFieldErrors(form, error);
          // Stale version: the refetch in onSettled loads the newer copy into the form.
          if (isApiError(error) && (error.status === 409 || error.status === 412))
            void message.warning(t('settings.conflict'));
        },
      },
    );
  };

  return (
    <>
      <PageHeader title={t('settings.title')} subtitle={t('settings.subtitle')} testId="settings-page" />
      <Card variant="borderless" style={{ maxWidth: 720 }}>
        {org.error ? <ProblemAlert error={org.error} onRetry={() => void org.refetch()} /> : null}
        {!canManage ? (
          <Alert type="info" showIcon message={t('settings.readOnly')} style={{ marginBottom: 16 }} />
        ) : null}
        {update.error && !(isApiError(update.error) && update.error.status === 409) ? (
          <ProblemAlert error={update.error} />
        ) : null}
        {org.isLoading ? <Skeleton active /> : null}
        {org.data ? (
          <>
            <Descriptions column={{ xs: 1, sm: 3 }} size="small" style={{ marginBottom: 24 }}>
              <Descriptions.Item label={t('settings.slug')}>{org.data.slug}</Descriptions.Item>
              <Descriptions.Item label={t('settings.currency')}>{org.data.currency}</Descriptions.Item>
              <Descriptions.Item label={t('settings.version')}>{org.data.version}</Descriptions.Item>
            </Descriptions>
            <Form
              form={form}
              layout="vertical"
              disabled={!canManage}
              onFinish={(values) => save(values, org.data)}
              data-testid="settings-form"
            >
              <Form.Item
                name="name"
                label={t('settings.name')}
                rules={[{ required: true, whitespace: true, message: t('settings.nameRequired') }]}
              >
                <Input maxLength={200} data-testid="settings-name" />
              </Form.Item>
              <Form.Item
                name="timezone"
                label={t('settings.timezone')}
                rules={[{ required: true, message: t('settings.timezoneRequired') }]}
              >
                <Select showSearch options={timezoneOptions} data-testid="settings-timezone" />
              </Form.Item>
              <Form.Item name="locale" label={t('settings.locale')} rules={[{ required: true }]}>
                <Select options={localeOptions} data-testid="settings-locale" />
              </Form.Item>
              {canManage ? (
                <Button type="primary" htmlType="submit" loading={update.isPending} data-testid="settings-save">
                  {t('common.save')}
                </Button>
              ) : null}
            </Form>
          </>
        ) : null}
      </Card>
      <div style={{ maxWidth: 1080, marginTop: 16 }}>
        <NamingConventionEditor canManage={canManage} />
      </div>
      <div style={{ maxWidth: 1080, marginTop: 16 }}>
        <ApprovalFlowsEditor canManage={canManage} />
      </div>
      <div style={{ maxWidth: 1080, marginTop: 16 }}>
        <WorkCalendarEditor canManage={canManage} />
      </div>
      <div style={{ maxWidth: 1080, marginTop: 16 }}>
        <WorkSettingsEditor canManage={canManage} />
      </div>
      <div style={{ maxWidth: 1080, marginTop: 16 }}>
        <FinanceSettingsEditor canManage={canManage} />
      </div>
    </>
  );
}
