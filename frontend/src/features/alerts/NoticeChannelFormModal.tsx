import { Alert, Checkbox, Form, Input, Select, Switch } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from '@/components/FormModal';
import { useSaveForm } from '@/lib/saveForm';
import { useCreateNoticeChannel, useUpdateNoticeChannel, type NoticeChannel, type NoticeKind } from './api';
import {
  NOTICE_KINDS,
  SEVERITIES,
  noticeCreateBody,
  noticeUpdateBody,
  noticeValues,
  usesSecret,
  type NoticeValues,
} from './model';

const FIELDS = ['name', 'kind', 'url', 'secret', 'emails', 'min_severity', 'allow_private'];
const URL_PATTERN = /^https?:\/\/\S+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface NoticeChannelFormModalProps {
  open: boolean;
  /** The channel being edited; none: a new one. */
  channel: NoticeChannel | null;
  /** Only admins may allow a private or loopback address (the server refuses anyone else). */
  mayAllowPrivate: boolean;
  onClose: () => void;
  onSaved: (channel: NoticeChannel) => void;
}

/** 新建 / 编辑通知渠道: a bot's or receiver's URL (and signing secret), or e-mail addresses. */
export function NoticeChannelFormModal({
  open,
  channel,
  mayAllowPrivate,
  onClose,
  onSaved,
}: NoticeChannelFormModalProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<NoticeValues>();
  const create = useCreateNoticeChannel();
  const update = useUpdateNoticeChannel();
  const kind = (Form.useWatch('kind', form) ?? channel?.kind ?? 'feishu') as NoticeKind;

  useEffect(() => {
    if (open) form.setFieldsValue(channel ? noticeValues(channel) : { kind: 'feishu', min_severity: 'warning' });
  }, [open, channel, form]);

  const { submit, close, pending, error } = useSaveForm({
    form,
    existing: channel,
    create,
    update,
    createVars: (values) => noticeCreateBody(values, mayAllowPrivate),
    updateVars: (c, values) => ({ id: c.id, body: noticeUpdateBody(c, values, mayAllowPrivate) }),
    fields: FIELDS,
    onSaved,
    onClose,
  });

  return (
    <FormModal<NoticeValues>
      form={form}
      open={open}
      title={t(channel ? 'alerts.notices.form.editTitle' : 'alerts.notices.form.createTitle')}
      okText={t(channel ? 'common.save' : 'common.create')}
      onSubmit={submit}
      onCancel={close}
      pending={pending}
      error={error}
      destroyOnHidden
      preserve={false}
      width={600}
      submitTestId="notice-submit"
      formTestId="notice-form"
    >
      <Form.Item
        name="name"
        label={t('alerts.notices.fields.name')}
        rules={[{ required: true, whitespace: true, message: t('alerts.notices.form.nameRequired') }]}
      >
        <Input maxLength={100} data-testid="notice-name" />
      </Form.Item>
      {channel ? null : (
        <Form.Item name="kind" label={t('alerts.notices.fields.kind')}>
          <Select
            options={NOTICE_KINDS.map((k) => ({ value: k, label: t(`alerts.noticeKinds.${k}`) }))}
            data-testid="notice-kind"
          />
        </Form.Item>
      )}
      <Alert type="info" showIcon message={t(`alerts.notices.help.${kind}`)} style={{ marginBottom: 16 }} />
      {kind === 'email' ? (
        <Form.Item
          name="emails"
          label={t('alerts.notices.fields.emails')}
          extra={t('alerts.notices.form.emailsHint')}
          rules={[
            { required: true, type: 'array', min: 1, message: t('alerts.notices.form.emailsRequired') },
            {
              validator: (_, value: string[] | undefined) =>
                (value ?? []).every((e) => EMAIL.test(e.trim()))
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('alerts.notices.form.emailInvalid'))),
            },
            { type: 'array', max: 20, message: t('alerts.notices.form.emailsTooMany') },
          ]}
        >
          <Select mode="tags" open={false} tokenSeparators={[',', '，', ';', ' ']} data-testid="notice-emails" />
        </Form.Item>
      ) : (
        <Form.Item
          name="url"
          label={t('alerts.notices.fields.url')}
          extra={
            channel ? t('alerts.notices.form.urlKeep', { url: channel.url ?? '—' }) : t('alerts.notices.form.urlHint')
          }
          rules={[
            { required: !channel, whitespace: true, message: t('alerts.notices.form.urlRequired') },
            { pattern: URL_PATTERN, message: t('alerts.notices.form.urlInvalid') },
          ]}
        >
          <Input
            maxLength={2000}
            placeholder={channel?.url ?? 'https://'}
            autoComplete="off"
            data-testid="notice-url"
          />
        </Form.Item>
      )}
      {usesSecret(kind) ? (
        <>
          <Form.Item
            name="secret"
            label={t('alerts.notices.fields.secret')}
            extra={
              channel?.has_secret
                ? t('alerts.notices.form.secretKeep')
                : t(`alerts.notices.form.secretHint.${kind as 'feishu' | 'dingtalk' | 'webhook'}`)
            }
          >
            <Input.Password maxLength={200} autoComplete="new-password" data-testid="notice-secret" />
          </Form.Item>
          {channel?.has_secret ? (
            <Form.Item name="clear_secret" valuePropName="checked" style={{ marginTop: -8 }}>
              <Checkbox data-testid="notice-clear-secret">{t('alerts.notices.form.clearSecret')}</Checkbox>
            </Form.Item>
          ) : null}
        </>
      ) : null}
      <Form.Item
        name="min_severity"
        label={t('alerts.notices.fields.min_severity')}
        extra={t('alerts.notices.form.minSeverityHint')}
      >
        <Select
          options={SEVERITIES.map((s) => ({ value: s, label: t(`alerts.severities.${s}`) }))}
          data-testid="notice-min-severity"
        />
      </Form.Item>
      {mayAllowPrivate && kind !== 'email' ? (
        <Form.Item
          name="allow_private"
          label={t('alerts.notices.fields.allow_private')}
          valuePropName="checked"
          extra={t('alerts.notices.form.allowPrivateHint')}
        >
          <Switch data-testid="notice-allow-private" />
        </Form.Item>
      ) : null}
    </FormModal>
  );
}
