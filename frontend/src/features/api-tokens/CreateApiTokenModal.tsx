import { CopyOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '@/components/ProblemAlert';
import { applyFieldErrors } from '@/lib/formErrors';
import { permissionLabelKey } from '@/lib/permissions';
import { grantableScopesQuery, useCreateApiToken, type ApiTokenCreate, type ApiTokenCreated } from './api';

type Scope = ApiTokenCreate['scopes'][number];

interface FormValues {
  name: string;
  scopes: Scope[];
  expires_in_days?: number | null;
}

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    await navigator.clipboard.writeText(text);
    return;
  }
  throw new Error('clipboard unavailable');
}

/** Creates a token, then shows its secret exactly once with a copy button. */
export function CreateApiTokenModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const create = useCreateApiToken();
  const scopes = useQuery({ ...grantableScopesQuery, enabled: open });
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);

  const close = () => {
    form.resetFields();
    create.reset();
    setCreated(null);
    onClose();
  };

  const submit = async () => {
    const values = await form.validateFields();
    const body: ApiTokenCreate = { name: values.name.trim(), scopes: values.scopes };
    if (values.expires_in_days) body.expires_in_days = values.expires_in_days;
    create.mutate(body, {
      onSuccess: (token) => setCreated(token),
      onError: (error) => applyFieldErrors(form, error),
    });
  };

  if (created) {
    return (
      <Modal
        open={open}
        title={t('apiTokens.secretTitle')}
        width={640}
        closable={false}
        maskClosable={false}
        keyboard={false}
        footer={
          <Button type="primary" onClick={close} data-testid="token-secret-done">
            {t('apiTokens.secretDone')}
          </Button>
        }
      >
        <Alert type="warning" showIcon message={t('apiTokens.secretWarning')} style={{ marginBottom: 16 }} />
        <Space.Compact style={{ width: '100%' }}>
          <Input readOnly value={created.token} data-testid="token-secret" style={{ fontFamily: 'monospace' }} />
          <Button
            icon={<CopyOutlined />}
            data-testid="token-copy"
            onClick={() =>
              void copyText(created.token).then(
                () => message.success(t('common.copied')),
                () => message.error(t('common.copyFailed')),
              )
            }
          >
            {t('common.copy')}
          </Button>
        </Space.Compact>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          {created.name} · {created.scopes.join(', ')}
        </Typography.Paragraph>
      </Modal>
    );
  }

  return (
    <Modal
      open={open}
      title={t('apiTokens.createTitle')}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={close}
      confirmLoading={create.isPending}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'token-create-submit' }}
    >
      {create.error ? <ProblemAlert error={create.error} /> : null}
      {scopes.error ? <ProblemAlert error={scopes.error} /> : null}
      <Form form={form} layout="vertical" initialValues={{ scopes: [] }}>
        <Form.Item
          name="name"
          label={t('apiTokens.name')}
          rules={[{ required: true, whitespace: true, message: t('apiTokens.nameRequired') }]}
        >
          <Input placeholder={t('apiTokens.namePlaceholder')} maxLength={100} data-testid="token-name" />
        </Form.Item>
        <Form.Item
          name="scopes"
          label={t('apiTokens.scopes')}
          rules={[{ required: true, type: 'array', min: 1, message: t('apiTokens.scopesRequired') }]}
        >
          <Select
            mode="multiple"
            showSearch
            optionFilterProp="label"
            loading={scopes.isLoading}
            notFoundContent={t('apiTokens.noScopes')}
            options={(scopes.data ?? []).map((scope) => ({
              value: scope,
              label: `${t(permissionLabelKey(scope), { defaultValue: scope })} (${scope})`,
            }))}
            data-testid="token-scopes"
          />
        </Form.Item>
        <Form.Item name="expires_in_days" label={t('apiTokens.expiresInDays')} extra={t('apiTokens.expiresHelp')}>
          <InputNumber min={1} max={3650} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
