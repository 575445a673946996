import { useQuery } from '@tanstack/react-query';
import { DatePicker, Form, Input, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '@/api/errors';
import { FormModal } from '@/components/FormModal';
import { fieldErrorText } from '@/lib/errorText';
import { formatDay, type DisplayLocale } from '@/lib/format';
import { applyFieldErrors } from '@/lib/formErrors';
import {
  activeResourcesQuery,
  choicesQuery,
  projectTasksQuery,
  useAllocate,
  useUpdateAllocation,
  type Allocation,
  type AllocationSaved,
  type Resource,
} from './api';
import { allocationBody, allocationUpdateBody, allocationValues, KINDS, type AllocationValues } from './model';

const FIELDS = ['project_id', 'resource_id', 'hours_per_day', 'quantity', 'task_id', 'note'] as const;
const DECIMAL = /^\d{1,12}(\.\d{1,2})?$/;

/** The project a booking is for, as far as the form needs it (its dates bound the booking's). */
export interface BookingProject {
  id: string;
  code: string;
  name: string;
  starts_on: string;
  ends_on: string;
}

interface AllocationFormModalProps {
  open: boolean;
  /** The resource booked, when fixed (from its catalogue row); otherwise picked in the form. */
  resource?: Resource | null;
  /** The project booked for, when fixed (from its page); otherwise picked in the form. */
  project?: BookingProject | null;
  /** The booking changed (its resource and project stay); none: a new booking. */
  allocation?: Allocation | null;
  onClose: () => void;
  /** The booking was saved; its `conflicts` say what to look at (it is kept all the same). */
  onSaved: (saved: AllocationSaved) => void;
}

/**
 * 分配资源 / 调整分配: book a resource for a project over days — a person in hours on each working
 * day, anything else in a quantity (a material must say how many) — optionally for one of the
 * project's tasks. The catalogue fixes the resource and asks for the project; a project's page
 * fixes the project and asks for the resource; editing fixes both.
 */
export function AllocationFormModal({
  open,
  resource,
  project,
  allocation,
  onClose,
  onSaved,
}: AllocationFormModalProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const [form] = Form.useForm<AllocationValues>();
  const allocate = useAllocate();
  const update = useUpdateAllocation();
  const mutation = allocation ? update : allocate;
  const picksProject = !project && !allocation;
  const picksResource = !resource && !allocation;
  const choices = useQuery({ ...choicesQuery, enabled: open && picksProject });
  const resources = useQuery({ ...activeResourcesQuery, enabled: open && (picksResource || !!allocation) });

  const pickedProjectId = Form.useWatch('project_id', form);
  const pickedResourceId = Form.useWatch('resource_id', form);
  const chosenProject: BookingProject | undefined =
    project ?? choices.data?.projects.find((p) => p.id === pickedProjectId);
  const projectId = allocation?.project_id ?? chosenProject?.id;
  const chosenResource =
    resource ?? resources.data?.find((r) => r.id === (allocation?.resource_id ?? pickedResourceId)) ?? null;
  const kind = allocation?.resource_kind ?? chosenResource?.kind;
  const tasks = useQuery({ ...projectTasksQuery(projectId ?? ''), enabled: open && !!projectId });

  const initialValues = useMemo<AllocationValues>(() => {
    if (allocation) return allocationValues(allocation, (d) => dayjs(d));
    // From a project's page the booking starts out over the project's dates.
    if (project) return { days: [dayjs(project.starts_on), dayjs(project.ends_on)] };
    return {};
  }, [allocation, project]);

  const resourceOptions = useMemo(
    () =>
      KINDS.map((k) => ({
        label: t(`resources.kinds.${k}`),
        title: k,
        options: (resources.data ?? [])
          .filter((r) => r.kind === k)
          .map((r) => ({ value: r.id, label: r.role_title ? `${r.name} · ${r.role_title}` : r.name })),
      })).filter((group) => group.options.length > 0),
    [resources.data, t],
  );

  const close = () => {
    allocate.reset();
    update.reset();
    onClose();
  };
  const failed = (error: unknown) => {
    applyFieldErrors(form, error, { fields: FIELDS });
    // The server names starts_on / ends_on; the form holds both days in one range picker.
    if (!isApiError(error)) return;
    const days = error.errors
      .filter((e) => e.field === 'starts_on' || e.field === 'ends_on')
      .map((e) => fieldErrorText(e, t));
    if (days.length) form.setFields([{ name: 'days', errors: days }]);
  };
  const done = (saved: AllocationSaved) => {
    onSaved(saved);
    close();
  };
  const submit = (values: AllocationValues) => {
    if (allocation) {
      update.mutate(
        { id: allocation.id, body: allocationUpdateBody(allocation, values) },
        { onSuccess: done, onError: failed },
      );
      return;
    }
    const target = project?.id ?? values.project_id;
    if (!target || !chosenResource) return;
    allocate.mutate(
      { projectId: target, body: allocationBody(chosenResource.kind, chosenResource.id, values) },
      { onSuccess: done, onError: failed },
    );
  };
  // Days outside the project's cannot be booked (the server says so too).
  const outsideProject = (day: Dayjs) =>
    !!chosenProject && (day.isBefore(chosenProject.starts_on, 'day') || day.isAfter(chosenProject.ends_on, 'day'));

  const title = allocation
    ? t('resources.allocate.editTitle', { name: allocation.resource_name })
    : resource
      ? t('resources.allocate.title', { name: resource.name })
      : t('resources.allocate.projectTitle');

  return (
    <FormModal<AllocationValues>
      form={form}
      open={open}
      title={title}
      okText={allocation ? t('common.save') : t('resources.allocate.submit')}
      onSubmit={submit}
      onCancel={close}
      pending={mutation.isPending}
      error={mutation.error}
      destroyOnHidden
      preserve={false}
      initialValues={initialValues}
      width={560}
      submitTestId="allocate-submit"
      formTestId="allocate-form"
    >
      {project && !allocation ? (
        <Form.Item label={t('resources.allocate.project')}>
          <Typography.Text data-testid="allocate-fixed-project">{`${project.code} · ${project.name}`}</Typography.Text>
        </Form.Item>
      ) : null}
      {picksProject ? (
        <Form.Item
          name="project_id"
          label={t('resources.allocate.project')}
          rules={[{ required: true, message: t('resources.allocate.projectRequired') }]}
          extra={t('resources.allocate.projectHint')}
        >
          <Select
            showSearch
            optionFilterProp="label"
            loading={choices.isPending}
            options={(choices.data?.projects ?? []).map((p) => ({ value: p.id, label: `${p.code} · ${p.name}` }))}
            onChange={(id: string) => {
              // A project chosen before the days: the booking starts out over its dates.
              const picked = choices.data?.projects.find((p) => p.id === id);
              if (picked && !form.getFieldValue('days')) {
                form.setFieldValue('days', [dayjs(picked.starts_on), dayjs(picked.ends_on)]);
              }
            }}
            data-testid="allocate-project"
          />
        </Form.Item>
      ) : null}
      {picksResource ? (
        <Form.Item
          name="resource_id"
          label={t('resources.allocate.resource')}
          rules={[{ required: true, message: t('resources.allocate.resourceRequired') }]}
        >
          <Select
            showSearch
            optionFilterProp="label"
            placeholder={t('resources.allocate.resourcePlaceholder')}
            loading={resources.isPending}
            options={resourceOptions}
            notFoundContent={resources.isPending ? undefined : t('resources.allocate.noResources')}
            data-testid="allocate-resource"
          />
        </Form.Item>
      ) : null}
      <Form.Item
        name="days"
        label={t('resources.allocate.days')}
        rules={[{ required: true, message: t('resources.allocate.daysRequired') }]}
        extra={
          chosenProject
            ? t('resources.allocate.projectDays', {
                from: formatDay(chosenProject.starts_on, locale),
                to: formatDay(chosenProject.ends_on, locale),
              })
            : undefined
        }
      >
        <DatePicker.RangePicker style={{ width: '100%' }} disabledDate={outsideProject} data-testid="allocate-days" />
      </Form.Item>
      {kind === 'person' ? (
        <Form.Item
          name="hours_per_day"
          label={t('resources.allocate.hours')}
          extra={t('resources.allocate.hoursHint')}
          rules={[
            { required: true, message: t('resources.allocate.hoursRequired') },
            { pattern: DECIMAL, message: t('resources.form.decimal') },
          ]}
        >
          <Input suffix={t('resources.units.hoursDay')} data-testid="allocate-hours" />
        </Form.Item>
      ) : kind ? (
        <Form.Item
          name="quantity"
          label={t('resources.allocate.quantity')}
          extra={kind === 'material' ? undefined : t('resources.allocate.quantityHint')}
          rules={[
            { required: kind === 'material', message: t('resources.allocate.quantityRequired') },
            { pattern: DECIMAL, message: t('resources.form.decimal') },
          ]}
        >
          <Input suffix={chosenResource?.unit ?? undefined} data-testid="allocate-quantity" />
        </Form.Item>
      ) : null}
      {projectId ? (
        <Form.Item name="task_id" label={t('resources.allocate.task')} extra={t('resources.allocate.taskHint')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            loading={tasks.isPending}
            options={(tasks.data ?? []).map((task) => ({ value: task.id, label: task.title }))}
            data-testid="allocate-task"
          />
        </Form.Item>
      ) : null}
      <Form.Item name="note" label={t('resources.allocate.note')}>
        <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={5000} data-testid="allocate-note" />
      </Form.Item>
    </FormModal>
  );
}
