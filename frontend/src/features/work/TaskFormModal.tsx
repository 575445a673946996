import { DeleteOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Col,
  ConfigProvider,
  DatePicker,
  Divider,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Radio,
  Row,
  Select,
  Slider,
  Switch,
} from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from '@/components/FormModal';
import { SubjectDiscussion } from '@/lib/collab';
import { applyFieldErrors } from '@/lib/formErrors';
import { useSession } from '@/lib/session';
import { useCreateTask, useDeleteTask, useUpdateTask, type Phase, type ProjectDetail, type Task } from './api';
import { useShowMoved } from './hooks';
import {
  assigneeOptions,
  createBody,
  formValuesFrom,
  mayReport,
  parentOptions,
  PRIORITIES,
  TASK_STATUSES,
  updateBody,
  type TaskFormValues,
  type WbsTask,
} from './model';

const FIELDS = [
  'title',
  'phase_id',
  'parent_id',
  'assignee_member_id',
  'starts_on',
  'due_on',
  'duration_days',
  'milestone',
  'priority',
  'estimate_hours',
  'actual_hours',
  'key_result_id',
  'description',
  'progress',
  'status',
] as const;

export interface TaskFormModalProps {
  project: ProjectDetail;
  phases: readonly Phase[];
  tasks: readonly WbsTask[];
  /** The task to edit; null: a new one. */
  task: Task | null;
  /** Whether the caller may change the plan (else only an assignee's report fields). */
  planEditable: boolean;
  /** A new task's phase (the group it was created from). */
  defaultPhaseId?: string | null;
  open: boolean;
  onClose: () => void;
}

/** Create a task, or edit one (the plan's fields for managers, the report's for its assignee), or delete it. */
export function TaskFormModal({
  project,
  phases,
  tasks,
  task,
  planEditable,
  defaultPhaseId,
  open,
  onClose,
}: TaskFormModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useSession();
  const [form] = Form.useForm<TaskFormValues>();
  const create = useCreateTask(project.id);
  const update = useUpdateTask(project.id);
  const remove = useDeleteTask(project.id);
  const showMoved = useShowMoved();
  const initialValues = useMemo(() => formValuesFrom(task, { phase_id: defaultPhaseId }), [task, defaultPhaseId]);
  const reporter = task !== null && mayReport(me, task);
  const readOnly = !planEditable && !reporter;
  const milestone = Form.useWatch('milestone', form) ?? initialValues.milestone;
  const lengthMode = Form.useWatch('length_mode', form) ?? initialValues.length_mode;
  const parentId = Form.useWatch('parent_id', form) ?? initialValues.parent_id;

  const keyResults = project.goal_links.flatMap((link) =>
    link.key_result_id
      ? [{ value: link.key_result_id, label: `${link.key_result_name ?? ''} · ${link.objective_title}` }]
      : [],
  );
  const people = assigneeOptions(project);
  const onError = (error: unknown) => applyFieldErrors(form, error, { fields: FIELDS });

  const submit = (values: TaskFormValues) => {
    if (readOnly) return onClose();
    if (!task) {
      create.mutate(createBody(values), {
        onSuccess: (change) => {
          void message.success(t('work.task.created'));
          showMoved(change.moved);
          onClose();
        },
        onError,
      });
      return;
    }
    const body = updateBody(task, values, planEditable);
    if (Object.keys(body).length === 1) return onClose();
    update.mutate(
      { taskId: task.id, body },
      {
        onSuccess: (change) => {
          void message.success(t('work.task.saved'));
          showMoved(change.moved);
          onClose();
        },
        onError,
      },
    );
  };

  const plan = !planEditable;
  const report = readOnly;
  return (
    <FormModal<TaskFormValues>
      form={form}
      open={open}
      title={task ? (readOnly ? task.title : t('work.task.edit')) : t('work.task.new')}
      okText={readOnly ? t('common.close') : task ? t('common.save') : t('common.create')}
      onSubmit={submit}
      onCancel={onClose}
      pending={create.isPending || update.isPending}
      error={create.error ?? update.error ?? remove.error}
      destroyOnHidden
      width={720}
      initialValues={initialValues}
      submitTestId="task-submit"
      formTestId="task-form"
      after={
        task ? (
          // Outside the form: its inputs are the discussion's, never the task's fields.
          <>
            <Divider style={{ margin: '16px 0 12px' }} />
            <SubjectDiscussion subjectType="task" subjectId={task.id} />
          </>
        ) : null
      }
    >
      <Form.Item name="title" label={t('work.fields.title')} rules={[{ required: true, whitespace: true, max: 200 }]}>
        <Input disabled={plan} data-testid="task-title" />
      </Form.Item>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="phase_id" label={t('work.fields.phase')}>
            <Select
              allowClear
              disabled={plan || !!parentId}
              placeholder={t('work.noPhase')}
              options={phases.map((p) => ({ value: p.id, label: p.name }))}
              data-testid="task-phase"
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="parent_id" label={t('work.fields.parent')}>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              disabled={plan}
              placeholder={t('work.noParent')}
              options={parentOptions(tasks, task?.id ?? null)}
              data-testid="task-parent"
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="assignee_member_id" label={t('work.fields.assignee')}>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              disabled={plan}
              placeholder={t('work.unassigned')}
              options={people}
              data-testid="task-assignee"
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="priority" label={t('work.fields.priority')}>
            <Select
              disabled={plan}
              options={PRIORITIES.map((p) => ({ value: p, label: t(`work.priority.${p}`) }))}
              data-testid="task-priority"
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="milestone" label={t('work.fields.milestone')} valuePropName="checked">
            <Switch disabled={plan} data-testid="task-milestone" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="starts_on" label={t('work.fields.startsOn')} extra={task ? null : t('work.task.startHint')}>
            <DatePicker disabled={plan} style={{ width: '100%' }} data-testid="task-starts-on" />
          </Form.Item>
        </Col>
        {milestone ? null : (
          <Col xs={24} md={12}>
            <Form.Item name="length_mode" label={t('work.fields.length')}>
              <Radio.Group disabled={plan} optionType="button" data-testid="task-length-mode">
                <Radio value="due">{t('work.lengthMode.due')}</Radio>
                <Radio value="duration">{t('work.lengthMode.duration')}</Radio>
              </Radio.Group>
            </Form.Item>
            {lengthMode === 'due' ? (
              <Form.Item name="due_on" rules={[{ required: true }]} label={t('work.fields.dueOn')}>
                <DatePicker disabled={plan} style={{ width: '100%' }} data-testid="task-due-on" />
              </Form.Item>
            ) : (
              <Form.Item name="duration_days" rules={[{ required: true }]} label={t('work.fields.durationDays')}>
                <InputNumber
                  disabled={plan}
                  min={0}
                  max={3650}
                  precision={0}
                  suffix={t('work.workingDays')}
                  style={{ width: '100%' }}
                  data-testid="task-duration"
                />
              </Form.Item>
            )}
          </Col>
        )}
        <Col xs={12} md={6}>
          <Form.Item name="estimate_hours" label={t('work.fields.estimateHours')}>
            <InputNumber disabled={plan} min={0} step={0.5} style={{ width: '100%' }} data-testid="task-estimate" />
          </Form.Item>
        </Col>
        {task ? (
          <Col xs={12} md={6}>
            <Form.Item name="actual_hours" label={t('work.fields.actualHours')}>
              <InputNumber disabled={report} min={0} step={0.5} style={{ width: '100%' }} data-testid="task-actual" />
            </Form.Item>
          </Col>
        ) : null}
        <Col xs={24} md={12}>
          <Form.Item name="key_result_id" label={t('work.fields.keyResult')}>
            <Select
              allowClear
              disabled={plan}
              placeholder={keyResults.length ? t('work.noKeyResult') : t('work.noProjectKeyResults')}
              options={keyResults}
              data-testid="task-key-result"
            />
          </Form.Item>
        </Col>
        {task ? (
          <>
            <Col xs={24} md={12}>
              <Form.Item name="status" label={t('work.fields.status')}>
                <Select
                  disabled={report}
                  options={TASK_STATUSES.map((s) => ({ value: s, label: t(`work.status.${s}`) }))}
                  data-testid="task-status"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="progress" label={t('work.fields.progress')}>
                <Slider disabled={report} min={0} max={100} step={5} marks={{ 0: '0%', 50: '50%', 100: '100%' }} />
              </Form.Item>
            </Col>
          </>
        ) : null}
      </Row>
      <Form.Item name="description" label={t('work.fields.description')}>
        <Input.TextArea disabled={report} rows={3} maxLength={20000} data-testid="task-description" />
      </Form.Item>
      {task && planEditable ? (
        <ConfigProvider componentDisabled={false}>
          <Popconfirm
            title={t('work.task.deleteConfirm', { title: task.title })}
            description={t('work.task.deleteHint')}
            okText={t('common.delete')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true, 'data-testid': 'task-delete-confirm' }}
            onConfirm={() =>
              remove.mutate(task.id, {
                onSuccess: () => {
                  void message.success(t('work.task.deleted'));
                  onClose();
                },
              })
            }
          >
            <Button danger icon={<DeleteOutlined />} loading={remove.isPending} data-testid="task-delete">
              {t('work.task.delete')}
            </Button>
          </Popconfirm>
        </ConfigProvider>
      ) : null}
    </FormModal>
  );
}
