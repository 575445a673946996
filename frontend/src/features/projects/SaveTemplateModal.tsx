import { App, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormModal } from '@/components/FormModal';
import { applyFieldErrors } from '@/lib/formErrors';
import { useSaveAsTemplate, type ProjectDetail } from './api';

interface Values {
  name: string;
  description?: string;
}

/** Saves the project's phases, tasks and budget categories as a template of the organisation. */
export function SaveTemplateModal({
  project,
  open,
  onClose,
}: {
  project: ProjectDetail;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const save = useSaveAsTemplate(project.id);
  return (
    <FormModal<Values>
      form={form}
      open={open}
      title={t('projects.template.title')}
      okText={t('common.save')}
      pending={save.isPending}
      error={save.error}
      onCancel={onClose}
      destroyOnHidden
      submitTestId="template-save"
      onSubmit={(values) =>
        save.mutate(
          { name: values.name.trim(), description: values.description?.trim() || null },
          {
            onSuccess: () => {
              void message.success(t('projects.template.saved'));
              onClose();
            },
            onError: (error) => applyFieldErrors(form, error, { fields: ['name', 'description'] }),
          },
        )
      }
      preserve={false}
      initialValues={{ name: project.name }}
    >
      <Form.Item
        name="name"
        label={t('projects.template.name')}
        rules={[{ required: true, whitespace: true, message: t('projects.template.nameRequired') }]}
      >
        <Input maxLength={100} data-testid="template-name" />
      </Form.Item>
      <Form.Item name="description" label={t('projects.fields.description')}>
        <Input.TextArea rows={3} maxLength={500} />
      </Form.Item>
    </FormModal>
  );
}
