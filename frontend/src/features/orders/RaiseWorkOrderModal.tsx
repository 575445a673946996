import { useQuery } from '@tanstack/react-query';
import { DatePicker, Form, Input, InputNumber, Radio, Select } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { FormModal } from '@/components/FormModal';
import { applyFieldErrors } from '@/lib/formErrors';
import { useSession } from '@/lib/session';
import { assigneeChoicesQuery, useCreateWorkOrder, type WorkOrder } from './api';
import { PRIORITIES, raiseBody, type RaiseValues } from './model';

const FIELDS = [
  'title',
  'description',
  'assignee_member_id',
  'assignee_team_id',
  'project_id',
  'due_at',
  'sla_hours',
  'priority',
] as const;

interface RaiseWorkOrderModalProps {
  open: boolean;
  onClose: () => void;
  onRaised: (order: WorkOrder) => void;
}

/** 发起工单: ask a person or a team for work, with a due time, an SLA and a priority. */
export function RaiseWorkOrderModal({ open, onClose, onRaised }: RaiseWorkOrderModalProps) {
  const { t } = useTranslation();
  const me = useSession();
  const [form] = Form.useForm<RaiseValues>();
  const create = useCreateWorkOrder();
  const choices = useQuery({ ...assigneeChoicesQuery, enabled: open });
  const target = Form.useWatch('target', form) ?? 'member';

  const close = () => {
    create.reset();
    onClose();
  };

  const members = (choices.data?.members ?? [])
    .filter((m) => m.is_active && m.id !== me.membership_id)
    .map((m) => ({ value: m.id, label: m.name, title: m.email }));
  const teams = (choices.data?.teams ?? []).map((team) => ({ value: team.id, label: team.name }));
  const projects = (choices.data?.projects ?? []).map((p) => ({ value: p.id, label: `${p.code} ${p.name}` }));

  const submit = (values: RaiseValues) =>
    create.mutate(raiseBody(values), {
      onSuccess: (order) => {
        onRaised(order);
        close();
      },
      onError: (error) => void applyFieldErrors(form, error, { fields: FIELDS }),
    });

  return (
    <FormModal<RaiseValues>
      form={form}
      open={open}
      title={t('orders.raise.title')}
      okText={t('orders.raise.submit')}
      onSubmit={submit}
      onCancel={close}
      pending={create.isPending}
      error={create.error}
      destroyOnHidden
      preserve={false}
      width={620}
      submitTestId="order-submit"
      formTestId="order-form"
      initialValues={{ target: 'member', priority: 'medium', sla_hours: 24 }}
    >
      <Form.Item
        name="title"
        label={t('orders.fields.title')}
        rules={[{ required: true, whitespace: true, message: t('orders.raise.titleRequired') }]}
      >
        <Input
          maxLength={200}
          autoComplete="off"
          placeholder={t('orders.raise.titlePlaceholder')}
          data-testid="order-title"
        />
      </Form.Item>
      <Form.Item name="description" label={t('orders.fields.description')}>
        <Input.TextArea maxLength={5000} autoSize={{ minRows: 2, maxRows: 6 }} data-testid="order-description" />
      </Form.Item>
      <Form.Item name="target" label={t('orders.raise.to')}>
        <Radio.Group
          optionType="button"
          options={[
            { value: 'member', label: t('orders.raise.toMember') },
            { value: 'team', label: t('orders.raise.toTeam') },
          ]}
          data-testid="order-target"
        />
      </Form.Item>
      {target === 'member' ? (
        <Form.Item
          name="assignee_member_id"
          label={t('orders.fields.assignee')}
          rules={[{ required: true, message: t('orders.raise.assigneeRequired') }]}
        >
          <Select
            showSearch
            optionFilterProp="label"
            loading={choices.isPending}
            placeholder={t('orders.raise.memberPlaceholder')}
            options={members}
            data-testid="order-assignee"
          />
        </Form.Item>
      ) : (
        <Form.Item
          name="assignee_team_id"
          label={t('orders.fields.team')}
          extra={t('orders.raise.teamHelp')}
          rules={[{ required: true, message: t('orders.raise.teamRequired') }]}
        >
          <Select
            showSearch
            optionFilterProp="label"
            loading={choices.isPending}
            placeholder={t('orders.raise.teamPlaceholder')}
            options={teams}
            data-testid="order-team"
          />
        </Form.Item>
      )}
      <Form.Item name="project_id" label={t('orders.fields.project')}>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          loading={choices.isPending}
          placeholder={t('orders.raise.projectPlaceholder')}
          options={projects}
          data-testid="order-project"
        />
      </Form.Item>
      <Form.Item
        name="due_at"
        label={t('orders.fields.due')}
        rules={[
          {
            validator: (_rule, value: dayjs.Dayjs | null | undefined) =>
              !value || value.isAfter(dayjs())
                ? Promise.resolve()
                : Promise.reject(new Error(t('orders.raise.duePast'))),
          },
        ]}
      >
        <DatePicker
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          style={{ width: '100%' }}
          disabledDate={(day) => day.isBefore(dayjs(), 'day')}
          data-testid="order-due"
        />
      </Form.Item>
      <Form.Item name="sla_hours" label={t('orders.fields.slaHours')} extra={t('orders.raise.slaHelp')}>
        <InputNumber min={1} max={8760} precision={0} style={{ width: '100%' }} data-testid="order-sla" />
      </Form.Item>
      <Form.Item name="priority" label={t('orders.fields.priority')}>
        <Select
          options={PRIORITIES.map((p) => ({ value: p, label: t(`orders.priority.${p}`) }))}
          data-testid="order-priority"
        />
      </Form.Item>
    </FormModal>
  );
}
