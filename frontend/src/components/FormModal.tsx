import { Form, Modal, type FormInstance, type FormProps } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from './ProblemAlert';

export interface FormModalProps<Values> extends Pick<
  FormProps<Values>,
  'initialValues' | 'onValuesChange' | 'preserve'
> {
  form: FormInstance<Values>;
  open: boolean;
  title: ReactNode;
  /** The OK button's label, e.g. 创建 or 保存. */
  okText: ReactNode;
  /** Called with the values once the form validates; an invalid form stays open, its fields marked. */
  onSubmit: (values: Values) => void;
  onCancel: () => void;
  afterClose?: () => void;
  /** The OK button spins while the call runs. */
  pending: boolean;
  /** The call's failure, shown above the form (nothing when falsy). */
  error?: unknown;
  /** Unmount the form when hidden, so it opens fresh. */
  destroyOnHidden?: boolean;
  width?: number;
  /** data-testid of the OK button and of the form. */
  submitTestId: string;
  formTestId?: string;
  children: ReactNode;
  /** Shown under the form, outside it (e.g. the discussion of the object being edited). */
  after?: ReactNode;
}

/**
 * The modal that wraps one form (create/edit dialogs): a vertical antd Form, the call's
 * failure above it, OK validating the form before `onSubmit`, Cancel closing it.
 */
export function FormModal<Values>({
  form,
  open,
  title,
  okText,
  onSubmit,
  onCancel,
  afterClose,
  pending,
  error,
  destroyOnHidden,
  width,
  submitTestId,
  formTestId,
  children,
  after,
  ...formProps
}: FormModalProps<Values>) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      cancelText={t('common.cancel')}
      onOk={() => void form.validateFields().then(onSubmit, () => undefined)}
      onCancel={onCancel}
      afterClose={afterClose}
      confirmLoading={pending}
      destroyOnHidden={destroyOnHidden}
      width={width}
      okButtonProps={{ 'data-testid': submitTestId }}
    >
      {error ? <ProblemAlert error={error} /> : null}
      <Form<Values> form={form} layout="vertical" data-testid={formTestId} {...formProps}>
        {children}
      </Form>
      {after}
    </Modal>
  );
}
