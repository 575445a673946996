import { Flex, Form, Input, Select } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from '@/components/FormModal';
import { useSaveForm } from '@/lib/saveForm';
import { useSession } from '@/lib/session';
import { useCreateSource, useUpdateSource, type Channel, type Source, type SourceKind } from './api';
import { isWebhook, sourceCreateBody, sourceUpdateBody, sourceValues, type SourceValues } from './model';

/** The kinds a new source may be: every one (上传: files on the upload page, with a saved mapping). */
const NEW_KINDS: readonly SourceKind[] = ['api', 'upload', 'webhook', 'meta'];
const FIELDS = ['name', 'kind', 'channel_id', 'currency', 'rate', 'secret'];
const RATE = /^\d{1,12}(\.\d{1,6})?$/;

interface SourceFormModalProps {
  open: boolean;
  /** The source being edited; none: a new one. */
  source: Source | null;
  channels: readonly Channel[];
  onClose: () => void;
  onSaved: (source: Source) => void;
}

/** 新建 / 编辑数据源: its name, channel and currency; a new webhook's secret may be given. */
export function SourceFormModal({ open, source, channels, onClose, onSaved }: SourceFormModalProps) {
  const { t } = useTranslation();
  const me = useSession();
  const [form] = Form.useForm<SourceValues>();
  const create = useCreateSource();
  const update = useUpdateSource();
  const kind = Form.useWatch('kind', form) ?? source?.kind;
  const currency = Form.useWatch('currency', form);

  useEffect(() => {
    if (open) {
      form.setFieldsValue(source ? sourceValues(source) : { kind: 'webhook', currency: me.org.currency, rate: '1' });
    }
  }, [open, source, form, me.org.currency]);

  const { submit, close, pending, error } = useSaveForm({
    form,
    existing: source,
    create,
    update,
    createVars: sourceCreateBody,
    updateVars: (s, values) => ({ id: s.id, body: sourceUpdateBody(s, values) }),
    fields: FIELDS,
    onSaved,
    onClose,
  });

  return (
    <FormModal<SourceValues>
      form={form}
      open={open}
      title={t(source ? 'channels.sources.form.editTitle' : 'channels.sources.form.createTitle')}
      okText={t(source ? 'common.save' : 'common.create')}
      onSubmit={submit}
      onCancel={close}
      pending={pending}
      error={error}
      destroyOnHidden
      preserve={false}
      width={560}
      submitTestId="source-submit"
      formTestId="source-form"
    >
      <Form.Item
        name="name"
        label={t('channels.sources.fields.name')}
        rules={[{ required: true, whitespace: true, message: t('channels.form.nameRequired') }]}
      >
        <Input maxLength={100} data-testid="source-name" />
      </Form.Item>
      {source ? null : (
        <Form.Item name="kind" label={t('channels.sources.fields.kind')} extra={t('channels.sources.form.kindHint')}>
          <Select
            options={NEW_KINDS.map((k) => ({ value: k, label: t(`channels.sourceKinds.${k}`) }))}
            data-testid="source-kind"
          />
        </Form.Item>
      )}
      <Form.Item
        name="channel_id"
        label={t('channels.sources.fields.channel')}
        extra={t('channels.sources.form.channelHint')}
      >
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          options={channels
            .filter((c) => c.active || c.id === source?.channel_id)
            .map((c) => ({ value: c.id, label: c.name }))}
          data-testid="source-channel"
        />
      </Form.Item>
      <Flex gap={16}>
        <Form.Item
          name="currency"
          label={t('channels.sources.fields.currency')}
          normalize={(v: string) => v.toUpperCase()}
          rules={[{ required: true, pattern: /^[A-Za-z]{3}$/, message: t('channels.sources.form.currencyInvalid') }]}
          style={{ flex: 1 }}
        >
          <Input maxLength={3} data-testid="source-currency" />
        </Form.Item>
        <Form.Item
          name="rate"
          label={t('channels.sources.fields.rate')}
          extra={t('channels.sources.form.rateHint', { currency: currency || '—', orgCurrency: me.org.currency })}
          rules={[{ required: true, pattern: RATE, message: t('channels.sources.form.rateInvalid') }]}
          style={{ flex: 2 }}
        >
          <Input data-testid="source-rate" />
        </Form.Item>
      </Flex>
      {!source && kind && isWebhook(kind) ? (
        <Form.Item
          name="secret"
          label={t(kind === 'meta' ? 'channels.sources.fields.appSecret' : 'channels.sources.fields.secret')}
          extra={t(kind === 'meta' ? 'channels.sources.form.appSecretHint' : 'channels.sources.form.secretHint')}
          rules={[
            // Meta signs with its app secret: one MEMS made up would refuse every delivery.
            { required: kind === 'meta', whitespace: true, message: t('channels.sources.form.appSecretRequired') },
            { min: 16, message: t('channels.sources.form.secretShort') },
          ]}
        >
          <Input.Password maxLength={100} autoComplete="new-password" data-testid="source-secret" />
        </Form.Item>
      ) : null}
    </FormModal>
  );
}
