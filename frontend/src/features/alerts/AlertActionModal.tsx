import { App, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '@/api/errors';
import { FormModal } from '@/components/FormModal';
import { useAlertAction, type Alert } from './api';

export type AlertAction = 'acknowledge' | 'resolve';

interface NoteValues {
  note?: string;
}

interface AlertActionModalProps {
  alert: Alert;
  /** The action asked for; none: closed. */
  action: AlertAction | null;
  onClose: () => void;
}

/**
 * 确认 / 标记已解决 with an optional note, at the version read. When someone else acted first
 * (409: not open any more, resolved already, or changed), the alert is read again and the
 * reader told so, instead of an error.
 */
export function AlertActionModal({ alert, action, onClose }: AlertActionModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<NoteValues>();
  const mutation = useAlertAction();

  const close = () => {
    mutation.reset();
    onClose();
  };
  const submit = (values: NoteValues) => {
    if (!action) return;
    mutation.mutate(
      { id: alert.id, action, version: alert.version, note: values.note?.trim() || undefined },
      {
        onSuccess: () => {
          void message.success(t(action === 'acknowledge' ? 'alerts.actions.acknowledged' : 'alerts.actions.resolved'));
          close();
        },
        onError: (error) => {
          if (!isApiError(error) || (error.status !== 409 && error.status !== 412)) return;
          const state = error.extensionString('current_status');
          void message.warning(
            state
              ? t('alerts.actions.handledElsewhere', { state: t(`alerts.states.${state}`, { defaultValue: state }) })
              : t('alerts.actions.changedElsewhere'),
          );
          close();
        },
      },
    );
  };

  return (
    <FormModal<NoteValues>
      form={form}
      open={action !== null}
      title={t(action === 'resolve' ? 'alerts.actions.resolveTitle' : 'alerts.actions.acknowledgeTitle')}
      okText={t(action === 'resolve' ? 'alerts.actions.resolve' : 'alerts.actions.acknowledge')}
      onSubmit={submit}
      onCancel={close}
      pending={mutation.isPending}
      error={mutation.error}
      destroyOnHidden
      preserve={false}
      submitTestId="alert-action-submit"
      formTestId="alert-action-form"
    >
      <Form.Item
        name="note"
        label={t('alerts.fields.note')}
        extra={t(action === 'resolve' ? 'alerts.actions.resolveHint' : 'alerts.actions.acknowledgeHint')}
      >
        <Input.TextArea rows={3} maxLength={2000} showCount data-testid="alert-note-input" />
      </Form.Item>
    </FormModal>
  );
}
