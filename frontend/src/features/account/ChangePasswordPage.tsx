import { Alert, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { applyFieldErrors } from '@/lib/formErrors';
import { useChangePassword } from './api';

export const MIN_PASSWORD_LENGTH = 8;

interface PasswordForm {
  current_password: string;
  new_password: string;
  confirm_password: string;
}

const FIELDS = ['current_password', 'new_password', 'confirm_password'] as const;

/** 修改密码: every role changes their own password here; their other sessions end. */
export function ChangePasswordPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<PasswordForm>();
  const change = useChangePassword();
  const [done, setDone] = useState(false);
  // A refusal the form could not place under a field (e.g. an API token's session).
  const [unplaced, setUnplaced] = useState<unknown>(null);

  const labels = {
    current_password: t('account.password.current'),
    new_password: t('account.password.new'),
    confirm_password: t('account.password.confirm'),
  };

  const onFinish = (values: PasswordForm) => {
    setDone(false);
    setUnplaced(null);
    change.mutate(
      { current_password: values.current_password, new_password: values.new_password },
      {
        onSuccess: () => {
          form.resetFields();
          setDone(true);
        },
        onError: (error) => {
          if (!applyFieldErrors(form, error, { fields: FIELDS })) setUnplaced(error);
        },
      },
    );
  };

  return (
    <>
      <PageHeader
        title={t('account.password.title')}
        subtitle={t('account.password.subtitle')}
        testId="password-page"
      />
      <Card variant="borderless" style={{ maxWidth: 560 }}>
        {done ? (
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="password-changed"
            message={t('account.password.changed')}
            description={t('account.password.othersSignedOut')}
          />
        ) : null}
        {unplaced ? <ProblemAlert error={unplaced} fieldLabels={labels} /> : null}
        <Form<PasswordForm>
          form={form}
          layout="vertical"
          onFinish={onFinish}
          onValuesChange={() => setDone(false)}
          data-testid="password-form"
        >
          <Form.Item
            name="current_password"
            label={labels.current_password}
            rules={[{ required: true, message: t('account.password.currentRequired') }]}
          >
            <Input.Password autoComplete="current-password" data-testid="password-current" />
          </Form.Item>
          <Form.Item
            name="new_password"
            label={labels.new_password}
            extra={t('account.password.rule', { min: MIN_PASSWORD_LENGTH })}
            rules={[
              { required: true, message: t('account.password.newRequired') },
              { min: MIN_PASSWORD_LENGTH, message: t('account.password.tooShort', { min: MIN_PASSWORD_LENGTH }) },
              ({ getFieldValue }) => ({
                validator: (_, value: string | undefined) =>
                  value && value === getFieldValue('current_password')
                    ? Promise.reject(new Error(t('account.password.unchanged')))
                    : Promise.resolve(),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" data-testid="password-new" />
          </Form.Item>
          <Form.Item
            name="confirm_password"
            label={labels.confirm_password}
            dependencies={['new_password']}
            rules={[
              { required: true, message: t('account.password.confirmRequired') },
              ({ getFieldValue }) => ({
                validator: (_, value: string | undefined) =>
                  !value || value === getFieldValue('new_password')
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('account.password.mismatch'))),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" data-testid="password-confirm" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={change.isPending} data-testid="password-submit">
            {t('account.password.submit')}
          </Button>
        </Form>
      </Card>
    </>
  );
}
