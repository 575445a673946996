import { useQuery } from '@tanstack/react-query';
import { DatePicker, Flex, Form, Input, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormModal } from '@/components/FormModal';
import { applyFieldErrors } from '@/lib/formErrors';
import { projectQuery, projectTasksQuery, useRaiseIssue, type Issue } from './api';
import { KINDS, ownerChoices, raiseBody, SCORES, SEVERITIES, type RaiseValues } from './model';

const FIELDS = [
  'kind',
  'title',
  'description',
  'severity',
  'probability',
  'impact',
  'owner_member_id',
  'due_on',
  'task_id',
] as const;

interface RaiseIssueModalProps {
  projectId: string;
  open: boolean;
  onClose: () => void;
  onRaised: (issue: Issue) => void;
}

/** 上报问题 / 风险: an issue that happened or a risk that may, with an owner from the project's team. */
export function RaiseIssueModal({ projectId, open, onClose, onRaised }: RaiseIssueModalProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<RaiseValues>();
  const raise = useRaiseIssue(projectId);
  const project = useQuery({ ...projectQuery(projectId), enabled: open });
  const tasks = useQuery({ ...projectTasksQuery(projectId), enabled: open });
  const kind = Form.useWatch('kind', form) ?? 'issue';

  const close = () => {
    raise.reset();
    onClose();
  };
  const submit = (values: RaiseValues) =>
    raise.mutate(raiseBody(values), {
      onSuccess: (issue) => {
        onRaised(issue);
        close();
      },
      onError: (error) => void applyFieldErrors(form, error, { fields: FIELDS }),
    });
  const scoreOptions = SCORES.map((s) => ({ value: s, label: t(`issues.scores.${s}`) }));

  return (
    <FormModal<RaiseValues>
      form={form}
      open={open}
      title={t('issues.raise.title')}
      okText={t('issues.raise.submit')}
      onSubmit={submit}
      onCancel={close}
      pending={raise.isPending}
      error={raise.error}
      destroyOnHidden
      preserve={false}
      width={620}
      submitTestId="issue-submit"
      formTestId="issue-form"
      initialValues={{ kind: 'issue', severity: 'medium' }}
    >
      <Form.Item name="kind" label={t('issues.fields.kind')}>
        <Radio.Group
          optionType="button"
          options={KINDS.map((k) => ({ value: k, label: t(`issues.kinds.${k}`) }))}
          data-testid="issue-kind"
        />
      </Form.Item>
      <Form.Item
        name="title"
        label={t('issues.fields.title')}
        rules={[{ required: true, whitespace: true, message: t('issues.raise.titleRequired') }]}
      >
        <Input maxLength={200} data-testid="issue-title" />
      </Form.Item>
      <Form.Item name="description" label={t('issues.fields.description')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={5000} />
      </Form.Item>
      <Form.Item name="severity" label={t('issues.fields.severity')}>
        <Radio.Group options={SEVERITIES.map((s) => ({ value: s, label: t(`issues.severities.${s}`) }))} />
      </Form.Item>
      {kind === 'risk' ? (
        <Flex gap={16}>
          <Form.Item
            name="probability"
            label={t('issues.fields.probability')}
            rules={[{ required: true, message: t('issues.raise.scoreRequired') }]}
            style={{ flex: 1 }}
          >
            <Select options={scoreOptions} data-testid="issue-probability" />
          </Form.Item>
          <Form.Item
            name="impact"
            label={t('issues.fields.impact')}
            rules={[{ required: true, message: t('issues.raise.scoreRequired') }]}
            style={{ flex: 1 }}
          >
            <Select options={scoreOptions} data-testid="issue-impact" />
          </Form.Item>
        </Flex>
      ) : null}
      <Form.Item name="owner_member_id" label={t('issues.fields.owner')}>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          loading={project.isPending}
          options={ownerChoices(project.data)}
          data-testid="issue-owner"
        />
      </Form.Item>
      <Flex gap={16}>
        <Form.Item name="due_on" label={t('issues.fields.due')} style={{ flex: 1 }}>
          <DatePicker style={{ width: '100%' }} data-testid="issue-due" />
        </Form.Item>
        <Form.Item name="task_id" label={t('issues.fields.task')} style={{ flex: 1 }}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            loading={tasks.isPending}
            options={(tasks.data ?? []).map((task) => ({ value: task.id, label: task.title }))}
            data-testid="issue-task"
          />
        </Form.Item>
      </Flex>
    </FormModal>
  );
}
