import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { App, AutoComplete, Col, DatePicker, Form, Input, InputNumber, Radio, Row } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { FormModal } from '@/components/FormModal';
import { useCreateKpi, useUpdateKpi, type Direction, type Goal, type Kpi } from './api';
import { GoalSelect, OwnerSelect } from './fields';
import { useServerFieldErrors } from './hooks';
import { trimDecimal } from './model';

export type KpiDialog = { mode: 'create'; goal: Goal } | { mode: 'edit'; kpi: Kpi; periodId: string };

interface FormValues {
  objective_id: string;
  name: string;
  unit: string;
  baseline: string | null;
  target: string | null;
  direction: Direction;
  weight: string | number;
  owner_member_id: string | null;
  due_on: Dayjs | null;
}

const FIELDS = [
  'objective_id',
  'name',
  'unit',
  'baseline',
  'target',
  'direction',
  'weight',
  'owner_member_id',
  'due_on',
] as const;

const LINKED = ['baseline', 'target', 'direction'] as const;

const UNIT_SUGGESTIONS = ['%', '人', '次', '万次', '个', '篇', 'CNY'];

interface KpiFormModalProps {
  dialog: KpiDialog;
  open: boolean;
  onClose: () => void;
  afterClose: () => void;
}

/** Adds a KPI (key result) to a goal, or edits one. The server checks target vs baseline vs direction. */
export function KpiFormModal({ dialog, open, onClose, afterClose }: KpiFormModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const create = useCreateKpi();
  const update = useUpdateKpi();
  const mutation = dialog.mode === 'create' ? create : update;
  const serverErrors = useServerFieldErrors(form, FIELDS);
  const editing = dialog.mode === 'edit' ? dialog.kpi : null;
  const periodId = dialog.mode === 'edit' ? dialog.periodId : dialog.goal.period_id;

  const initialValues: FormValues = editing
    ? {
        objective_id: editing.objective_id,
        name: editing.name,
        unit: editing.unit,
        baseline: trimDecimal(editing.baseline),
        target: trimDecimal(editing.target),
        direction: editing.direction,
        weight: trimDecimal(editing.weight),
        owner_member_id: editing.owner_member_id,
        due_on: editing.due_on ? dayjs(editing.due_on) : null,
      }
    : {
        objective_id: dialog.mode === 'create' ? dialog.goal.id : '',
        name: '',
        unit: '',
        baseline: null,
        target: null,
        direction: 'increase',
        weight: '1',
        owner_member_id: dialog.mode === 'create' ? dialog.goal.owner_member_id : null,
        due_on: null,
      };

  const submit = (values: FormValues) => {
    serverErrors.reset();
    const common = {
      name: values.name.trim(),
      unit: values.unit.trim(),
      baseline: String(values.baseline),
      target: String(values.target),
      direction: values.direction,
      weight: String(values.weight),
      owner_member_id: values.owner_member_id ?? null,
      due_on: values.due_on ? values.due_on.format('YYYY-MM-DD') : null,
    };
    const onError = (error: unknown) => serverErrors.apply(error);
    if (editing) {
      update.mutate(
        { id: editing.id, body: { ...common, version: editing.version } },
        {
          onSuccess: () => {
            void message.success(t('strategy.kpi.updated'));
            onClose();
          },
          onError,
        },
      );
    } else {
      create.mutate(
        { ...common, objective_id: values.objective_id, source: 'manual' },
        {
          onSuccess: () => {
            void message.success(t('strategy.kpi.created'));
            onClose();
          },
          onError,
        },
      );
    }
  };

  const decimal = (name: 'baseline' | 'target', label: string, required: string) => (
    <Form.Item name={name} label={label} rules={[{ required: true, message: required }]}>
      <InputNumber<string> stringMode style={{ width: '100%' }} data-testid={`kpi-${name}`} />
    </Form.Item>
  );

  return (
    <FormModal<FormValues>
      form={form}
      open={open}
      width={640}
      title={t(editing ? 'strategy.kpi.editTitle' : 'strategy.kpi.addTitle')}
      okText={editing ? t('common.save') : t('common.create')}
      onSubmit={submit}
      onCancel={onClose}
      afterClose={afterClose}
      pending={mutation.isPending}
      // A failure the fields show is not repeated above them.
      error={serverErrors.onFields ? null : mutation.error}
      submitTestId="kpi-submit"
      formTestId="kpi-form"
      initialValues={initialValues}
      onValuesChange={(changed: Partial<FormValues>) => {
        // Baseline, target and direction are judged together: a change to one settles all three.
        if (LINKED.some((name) => name in changed)) {
          form.setFields(LINKED.filter((name) => !(name in changed)).map((name) => ({ name, errors: [] })));
        }
      }}
    >
      <Form.Item
        name="objective_id"
        label={t('strategy.kpi.goal')}
        rules={[{ required: true, message: t('strategy.kpi.goalRequired') }]}
      >
        <GoalSelect periodId={periodId} disabled={!!editing} testId="kpi-goal" />
      </Form.Item>
      <Row gutter={16}>
        <Col span={16}>
          <Form.Item
            name="name"
            label={t('strategy.kpi.name')}
            rules={[{ required: true, whitespace: true, message: t('strategy.kpi.nameRequired') }]}
          >
            <Input maxLength={200} placeholder={t('strategy.kpi.namePlaceholder')} data-testid="kpi-name-input" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item
            name="unit"
            label={t('strategy.kpi.unit')}
            tooltip={t('strategy.kpi.unitHelp')}
            rules={[{ required: true, whitespace: true, message: t('strategy.kpi.unitRequired') }]}
          >
            <AutoComplete
              options={UNIT_SUGGESTIONS.map((u) => ({ value: u }))}
              filterOption={(input, option) => !!option?.value.toLowerCase().includes(input.trim().toLowerCase())}
              maxLength={32}
              data-testid="kpi-unit"
            />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={12}>{decimal('baseline', t('strategy.kpi.baseline'), t('strategy.kpi.baselineRequired'))}</Col>
        <Col span={12}>{decimal('target', t('strategy.kpi.target'), t('strategy.kpi.targetRequired'))}</Col>
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="direction" label={t('strategy.kpi.direction')} rules={[{ required: true }]}>
            <Radio.Group optionType="button" buttonStyle="solid" data-testid="kpi-direction-input">
              <Radio.Button value="increase">
                <ArrowUpOutlined /> {t('strategy.kpi.increaseHint')}
              </Radio.Button>
              <Radio.Button value="decrease">
                <ArrowDownOutlined /> {t('strategy.kpi.decreaseHint')}
              </Radio.Button>
            </Radio.Group>
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="weight"
            label={t('strategy.weight')}
            tooltip={t('strategy.weightHelp')}
            rules={[{ required: true, message: t('strategy.weightRequired') }]}
          >
            <InputNumber<string> stringMode min="0" step="1" style={{ width: '100%' }} data-testid="kpi-weight" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="owner_member_id" label={t('strategy.owner')}>
            <OwnerSelect testId="kpi-owner" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="due_on" label={t('strategy.kpi.dueOn')}>
            <DatePicker style={{ width: '100%' }} data-testid="kpi-due-on" />
          </Form.Item>
        </Col>
      </Row>
    </FormModal>
  );
}
