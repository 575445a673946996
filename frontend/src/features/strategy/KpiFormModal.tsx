import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { Alert, App, AutoComplete, Col, DatePicker, Form, Input, InputNumber, Radio, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, isApiError } from '@/api/errors';
import { FormModal } from '@/components/FormModal';
import { useSession } from '@/lib/session';
import { useCreateKpi, useUpdateKpi, type Direction, type Goal, type Kpi, type ValueSource } from './api';
import { GoalSelect, OwnerSelect } from './fields';
import { useChannelDirectory, useServerFieldErrors } from './hooks';
import {
  CHANNEL_KPI_METRICS,
  CHANNEL_KPI_SCOPES,
  CHANNEL_METRIC_UNITS,
  channelMetricDirection,
  channelQueryOf,
  sourceConfigOf,
  trimDecimal,
  type ChannelKpiMetric,
  type ChannelKpiScope,
} from './model';

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
  /** 手动打卡 or 渠道数据 (fixed once the KPI exists). */
  source: ValueSource;
  /** The channel query, for a KPI computed from channel data. */
  metric: ChannelKpiMetric | null;
  scope: ChannelKpiScope;
  /** A channel's key, or ALL_CHANNELS. */
  channel: string;
}

/** The channel select's value for every channel (sent as no channel). */
const ALL_CHANNELS = '';

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
  'source',
  'metric',
  'scope',
  'channel',
] as const;

const LINKED = ['baseline', 'target', 'direction'] as const;

const UNIT_SUGGESTIONS = ['%', '人', '次', '万次', '个', '篇', 'CNY'];

interface KpiFormModalProps {
  dialog: KpiDialog;
  open: boolean;
  onClose: () => void;
  afterClose: () => void;
}

/**
 * The server names a channel query's fields `source_config.metric` …; the form has them as
 * `metric` …, and the query as a whole (`source_config`) under the source.
 */
function onQueryFields(error: unknown): unknown {
  if (!isApiError(error)) return error;
  const errors = error.errors.map((e) => {
    const field = e.field.replace(/^body\./, '');
    if (field === 'source_config') return { ...e, field: 'source' };
    return field.startsWith('source_config.') ? { ...e, field: field.slice('source_config.'.length) } : e;
  });
  const { type, title, status, detail, instance, extensions } = error;
  return new ApiError({ type, title, status, detail, instance, extensions, errors }, error.retryAfter);
}

/**
 * Adds a KPI (key result) to a goal, or edits one. The server checks target vs baseline vs
 * direction. A KPI is checked in on by people (手动打卡) or computed by the server from channel
 * data (渠道数据: a metric over the goal's projects' campaigns or the whole organisation's, on one
 * channel or all); which, and the query, are chosen when it is created.
 */
export function KpiFormModal({ dialog, open, onClose, afterClose }: KpiFormModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useSession();
  const [form] = Form.useForm<FormValues>();
  const create = useCreateKpi();
  const update = useUpdateKpi();
  const mutation = dialog.mode === 'create' ? create : update;
  const serverErrors = useServerFieldErrors(form, FIELDS);
  const editing = dialog.mode === 'edit' ? dialog.kpi : null;
  const periodId = dialog.mode === 'edit' ? dialog.periodId : dialog.goal.period_id;
  const source = Form.useWatch('source', form) ?? editing?.source ?? 'manual';
  const fromChannels = source === 'channel_metric';
  const channels = useChannelDirectory(fromChannels && me.permissions.includes('channels:read'));
  const query = editing ? channelQueryOf(editing) : null;

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
        source: editing.source,
        metric: query?.metric ?? null,
        scope: query?.scope ?? 'goal_projects',
        channel: query?.channel ?? ALL_CHANNELS,
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
        source: 'manual',
        metric: null,
        scope: 'goal_projects',
        channel: ALL_CHANNELS,
      };

  const scope: ChannelKpiScope = Form.useWatch('scope', form) ?? initialValues.scope;

  // A channel the KPI names that is no longer offered (retired) still reads by its name.
  const channelOptions = [
    { value: ALL_CHANNELS, label: t('strategy.kpi.channel.allChannels') },
    ...channels.options,
    ...(query?.channel && !channels.options.some((o) => o.value === query.channel)
      ? [{ value: query.channel, label: channels.channelNameOf(query.channel) }]
      : []),
  ];

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
    const onError = (error: unknown) => serverErrors.apply(onQueryFields(error));
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
      const channelQuery =
        values.source === 'channel_metric' && values.metric
          ? {
              source_config: sourceConfigOf({
                metric: values.metric,
                scope: values.scope,
                channel: values.channel || null,
              }),
            }
          : {};
      create.mutate(
        { ...common, objective_id: values.objective_id, source: values.source, ...channelQuery },
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

  const lastMetric = useRef<ChannelKpiMetric | null>(initialValues.metric);

  /** A metric chosen fills in the unit it comes in and the way it is better, unless set by hand. */
  const onMetric = (metric: ChannelKpiMetric, previous: ChannelKpiMetric | null) => {
    const unit = form.getFieldValue('unit') as string;
    if (!unit?.trim() || (previous && unit === CHANNEL_METRIC_UNITS[previous])) {
      form.setFieldValue('unit', CHANNEL_METRIC_UNITS[metric]);
    }
    if (!previous || form.getFieldValue('direction') === channelMetricDirection(previous)) {
      form.setFieldValue('direction', channelMetricDirection(metric));
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
        if (changed.metric) {
          onMetric(changed.metric, lastMetric.current);
          lastMetric.current = changed.metric;
        }
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
      <Form.Item
        name="source"
        label={t('strategy.kpi.source')}
        extra={editing ? t('strategy.kpi.sourceFixed') : undefined}
        rules={[{ required: true }]}
      >
        <Radio.Group optionType="button" buttonStyle="solid" disabled={!!editing} data-testid="kpi-source">
          <Radio.Button value="manual" data-testid="kpi-source-manual">
            {t('strategy.kpi.sources.manual')}
          </Radio.Button>
          <Radio.Button value="channel_metric" data-testid="kpi-source-channel">
            {t('strategy.kpi.sources.channel_metric')}
          </Radio.Button>
        </Radio.Group>
      </Form.Item>
      {fromChannels ? (
        <>
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            message={t('strategy.kpi.channel.computedHint')}
            data-testid="kpi-channel-hint"
          />
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item
                name="metric"
                label={t('strategy.kpi.channel.metric')}
                rules={[{ required: true, message: t('strategy.kpi.channel.metricRequired') }]}
              >
                <Select<ChannelKpiMetric>
                  showSearch
                  optionFilterProp="label"
                  disabled={!!editing}
                  placeholder={t('strategy.kpi.channel.metricPlaceholder')}
                  options={CHANNEL_KPI_METRICS.map((metric) => ({
                    value: metric,
                    label: t(`strategy.kpi.channel.metrics.${metric}`),
                  }))}
                  data-testid="kpi-metric"
                />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="channel" label={t('strategy.kpi.channel.channel')}>
                <Select<string>
                  showSearch
                  optionFilterProp="label"
                  disabled={!!editing}
                  loading={channels.loading}
                  options={channelOptions}
                  data-testid="kpi-channel"
                />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item
            name="scope"
            label={t('strategy.kpi.channel.scope')}
            extra={t(`strategy.kpi.channel.scopeHints.${scope}`)}
          >
            <Radio.Group disabled={!!editing} data-testid="kpi-scope">
              {CHANNEL_KPI_SCOPES.map((scope) => (
                <Radio key={scope} value={scope} data-testid={`kpi-scope-${scope}`}>
                  {t(`strategy.kpi.channel.scopes.${scope}`)}
                </Radio>
              ))}
            </Radio.Group>
          </Form.Item>
        </>
      ) : null}
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
