import { Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormModal } from '@/components/FormModal';
import { applyFieldErrors } from '@/lib/formErrors';
import { ROLES } from '@/lib/roles';
import { useCreateMember, type MemberAdded, type MemberCreate } from './api';

export const MIN_PASSWORD_LENGTH = 8;

interface CreateMemberModalProps {
  open: boolean;
  onClose: () => void;
  /** Called with the answer, which does not say whether the e-mail already had an account. */
  onCreated: (added: MemberAdded) => void;
}

export function CreateMemberModal({ open, onClose, onCreated }: CreateMemberModalProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<MemberCreate>();
  const create = useCreateMember();

  const close = () => {
    form.resetFields();
    create.reset();
    onClose();
  };

  const submit = (values: MemberCreate) => {
    create.mutate(
      { ...values, email: values.email.trim(), name: values.name.trim() },
      {
        onSuccess: (added) => {
          onCreated(added);
          close();
        },
        onError: (error) => applyFieldErrors(form, error),
      },
    );
  };

  return (
    <FormModal<MemberCreate>
      form={form}
      open={open}
      title={t('members.createTitle')}
      okText={t('common.create')}
      onSubmit={submit}
      onCancel={close}
      pending={create.isPending}
      error={create.error}
      destroyOnHidden
      submitTestId="member-create-submit"
      formTestId="member-create-form"
      initialValues={{ role: 'member' }}
    >
      <Form.Item
        name="name"
        label={t('members.name')}
        rules={[{ required: true, whitespace: true, message: t('members.nameRequired') }]}
      >
        <Input autoComplete="off" data-testid="member-name" maxLength={100} />
      </Form.Item>
      <Form.Item
        name="email"
        label={t('members.email')}
        rules={[
          { required: true, message: t('members.emailRequired') },
          { type: 'email', message: t('members.emailInvalid') },
        ]}
      >
        <Input autoComplete="off" data-testid="member-email" />
      </Form.Item>
      <Form.Item name="role" label={t('members.role')} rules={[{ required: true, message: t('members.roleRequired') }]}>
        <Select data-testid="member-role" options={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))} />
      </Form.Item>
      <Form.Item
        name="password"
        label={t('members.password')}
        extra={t('members.passwordHelpInvite', { min: MIN_PASSWORD_LENGTH })}
        rules={[
          { required: true, message: t('members.passwordRequired') },
          { min: MIN_PASSWORD_LENGTH, message: t('members.passwordTooShort', { min: MIN_PASSWORD_LENGTH }) },
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="member-password" />
      </Form.Item>
    </FormModal>
  );
}
