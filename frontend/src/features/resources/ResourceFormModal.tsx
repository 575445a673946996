import { useQuery } from '@tanstack/react-query';
import { DatePicker, Flex, Form, Input, InputNumber, Select } from 'antd';
import dayjs from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from '@/components/FormModal';
import { useSaveForm } from '@/lib/saveForm';
import { choicesQuery, useCreateResource, useUpdateResource, type Resource, type ResourceKind } from './api';
import { createBody, FORM_FIELDS, formValues, KIND_FIELDS, updateBody, type ResourceValues } from './model';

const DECIMAL = /^\d{1,12}(\.\d{1,2})?$/;

interface ResourceFormModalProps {
  open: boolean;
  /** The kind of a new resource (ignored when editing). */
  kind: ResourceKind;
  /** The resource being edited; none: a new one. */
  resource?: Resource | null;
  onClose: () => void;
  onSaved?: (resource: Resource) => void;
}

/** 新建 / 编辑资源: the fields of its kind (a person's member, capacity and rate; a vendor's contact …). */
export function ResourceFormModal({ open, kind: newKind, resource, onClose, onSaved }: ResourceFormModalProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ResourceValues>();
  const create = useCreateResource();
  const update = useUpdateResource();
  const kind = resource?.kind ?? newKind;
  const fields: readonly string[] = KIND_FIELDS[kind];
  const choices = useQuery({ ...choicesQuery, enabled: open && kind === 'person' });

  useEffect(() => {
    if (open) form.setFieldsValue(resource ? formValues(resource, (d) => dayjs(d)) : {});
  }, [open, resource, form]);

  const { submit, close, pending, error } = useSaveForm({
    form,
    existing: resource ?? null,
    create,
    update,
    createVars: (values) => createBody(kind, values),
    updateVars: (r, values) => ({ id: r.id, body: updateBody(r, values) }),
    fields: FORM_FIELDS,
    onSaved,
    onClose,
  });
  const decimalRule = { pattern: DECIMAL, message: t('resources.form.decimal') };
  const has = (field: string) => fields.includes(field);

  return (
    <FormModal<ResourceValues>
      form={form}
      open={open}
      title={t(resource ? 'resources.form.editTitle' : 'resources.form.createTitle', {
        kind: t(`resources.kinds.${kind}`),
      })}
      okText={t(resource ? 'common.save' : 'common.create')}
      onSubmit={submit}
      onCancel={close}
      pending={pending}
      error={error}
      destroyOnHidden
      preserve={false}
      width={600}
      submitTestId="resource-submit"
      formTestId="resource-form"
    >
      {has('member_id') ? (
        <Form.Item name="member_id" label={t('resources.fields.member')} extra={t('resources.form.memberHint')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            loading={choices.isPending}
            options={(choices.data?.members ?? []).map((m) => ({ value: m.id, label: `${m.name} · ${m.email}` }))}
            data-testid="resource-member"
          />
        </Form.Item>
      ) : null}
      <Form.Item
        name="name"
        label={t('resources.fields.name')}
        rules={
          kind === 'person' ? [] : [{ required: true, whitespace: true, message: t('resources.form.nameRequired') }]
        }
      >
        <Input maxLength={200} data-testid="resource-name" />
      </Form.Item>
      {has('role_title') ? (
        <Flex gap={16}>
          <Form.Item name="role_title" label={t('resources.fields.role_title')} style={{ flex: 1 }}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="capacity_hours_week"
            label={t('resources.fields.capacity_hours_week')}
            rules={[decimalRule]}
            style={{ flex: 1 }}
          >
            <Input placeholder="40" suffix={t('resources.units.hoursWeek')} data-testid="resource-capacity" />
          </Form.Item>
          <Form.Item name="cost_rate" label={t('resources.fields.cost_rate')} rules={[decimalRule]} style={{ flex: 1 }}>
            <Input prefix="¥" suffix={t('resources.units.perHour')} data-testid="resource-rate" />
          </Form.Item>
        </Flex>
      ) : null}
      {has('unit') ? (
        <Flex gap={16}>
          <Form.Item name="unit" label={t('resources.fields.unit')} style={{ flex: 1 }}>
            <Input maxLength={20} placeholder={t(`resources.form.unitPlaceholder.${kind}`)} />
          </Form.Item>
          <Form.Item name="unit_cost" label={t('resources.fields.unit_cost')} rules={[decimalRule]} style={{ flex: 1 }}>
            <Input prefix="¥" data-testid="resource-unit-cost" />
          </Form.Item>
          {has('stock') ? (
            <Form.Item name="stock" label={t('resources.fields.stock')} rules={[decimalRule]} style={{ flex: 1 }}>
              <Input data-testid="resource-stock" />
            </Form.Item>
          ) : null}
        </Flex>
      ) : null}
      {has('contact_name') ? (
        <>
          <Flex gap={16}>
            <Form.Item name="contact_name" label={t('resources.fields.contact_name')} style={{ flex: 1 }}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item
              name="contact_phone"
              label={t('resources.fields.contact_phone')}
              rules={[{ pattern: /^[0-9+()\- ]*$/, message: t('resources.form.phone') }]}
              style={{ flex: 1 }}
            >
              <Input maxLength={40} />
            </Form.Item>
          </Flex>
          <Form.Item
            name="contact_email"
            label={t('resources.fields.contact_email')}
            rules={[{ type: 'email', message: t('resources.form.email') }]}
          >
            <Input maxLength={320} />
          </Form.Item>
          <Flex gap={16}>
            <Form.Item name="contract_no" label={t('resources.fields.contract_no')} style={{ flex: 1 }}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name="contract_ends_on" label={t('resources.fields.contract_ends_on')} style={{ flex: 1 }}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Flex>
        </>
      ) : null}
      {has('address') ? (
        <Flex gap={16}>
          <Form.Item name="address" label={t('resources.fields.address')} style={{ flex: 2 }}>
            <Input maxLength={300} />
          </Form.Item>
          <Form.Item name="venue_capacity" label={t('resources.fields.venue_capacity')} style={{ flex: 1 }}>
            <InputNumber min={1} max={1_000_000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Flex>
      ) : null}
      <Form.Item name="notes" label={t('resources.fields.notes')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={5000} />
      </Form.Item>
    </FormModal>
  );
}
