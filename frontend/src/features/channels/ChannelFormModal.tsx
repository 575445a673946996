import { Form, Input, Select } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from '@/components/FormModal';
import { useSaveForm } from '@/lib/saveForm';
import { useCreateChannel, useUpdateChannel, type Channel } from './api';
import { CHANNEL_KINDS, channelCreateBody, channelUpdateBody, type ChannelValues } from './model';

const KEY = /^[a-z0-9][a-z0-9_-]{0,39}$/;

interface ChannelFormModalProps {
  open: boolean;
  /** The channel being edited; none: a new one. */
  channel: Channel | null;
  onClose: () => void;
  onSaved: (channel: Channel) => void;
}

/** 新建 / 编辑渠道: its key (what integrations send, fixed once made), name and kind. */
export function ChannelFormModal({ open, channel, onClose, onSaved }: ChannelFormModalProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ChannelValues>();
  const create = useCreateChannel();
  const update = useUpdateChannel();

  useEffect(() => {
    if (open) form.setFieldsValue(channel ? { name: channel.name, kind: channel.kind } : { kind: 'other' });
  }, [open, channel, form]);

  const { submit, close, pending, error } = useSaveForm({
    form,
    existing: channel,
    create,
    update,
    createVars: channelCreateBody,
    updateVars: (c, values) => ({ id: c.id, body: channelUpdateBody(c, values) }),
    fields: ['key', 'name', 'kind'],
    onSaved,
    onClose,
  });

  return (
    <FormModal<ChannelValues>
      form={form}
      open={open}
      title={t(channel ? 'channels.form.editTitle' : 'channels.form.createTitle')}
      okText={t(channel ? 'common.save' : 'common.create')}
      onSubmit={submit}
      onCancel={close}
      pending={pending}
      error={error}
      destroyOnHidden
      preserve={false}
      submitTestId="channel-submit"
      formTestId="channel-form"
    >
      {channel ? null : (
        <Form.Item
          name="key"
          label={t('channels.fields.key')}
          extra={t('channels.form.keyHint')}
          rules={[{ required: true, pattern: KEY, message: t('channels.form.keyInvalid') }]}
        >
          <Input maxLength={40} placeholder="douyin" data-testid="channel-key" />
        </Form.Item>
      )}
      <Form.Item
        name="name"
        label={t('channels.fields.name')}
        rules={[{ required: true, whitespace: true, message: t('channels.form.nameRequired') }]}
      >
        <Input maxLength={100} data-testid="channel-name" />
      </Form.Item>
      <Form.Item name="kind" label={t('channels.fields.kind')}>
        <Select options={CHANNEL_KINDS.map((k) => ({ value: k, label: t(`channels.kinds.${k}`) }))} />
      </Form.Item>
    </FormModal>
  );
}
