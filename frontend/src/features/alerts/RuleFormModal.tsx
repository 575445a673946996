import { useQuery } from '@tanstack/react-query';
import { Alert, Flex, Form, Input, InputNumber, Radio, Select, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from '@/components/FormModal';
import { useSaveForm } from '@/lib/saveForm';
import type { DisplayLocale } from '@/lib/format';
import {
  adChannelsQuery,
  campaignSearchQuery,
  projectsQuery,
  useCreateRule,
  useUpdateRule,
  type Metric,
  type Rule,
} from './api';
import {
  BENCHMARK_KINDS,
  COMPARATOR_SYMBOLS,
  COMPARATORS,
  METRICS,
  RELATIVE_METRICS,
  RULE_DEFAULTS,
  SCOPE_KINDS,
  SEVERITIES,
  WINDOW_UNITS,
  conditionText,
  isRelative,
  metricUnit,
  needsBenchmarkKind,
  ruleCreateBody,
  ruleUpdateBody,
  ruleValues,
  scopeText,
  thresholdFromInput,
  thresholdPattern,
  typedAsPercent,
  volumeOf,
  windowText,
  type RuleValues,
} from './model';

const FIELDS = [
  'name',
  'metric',
  'comparator',
  'threshold',
  'relative',
  'scope_kind',
  'channel_id',
  'project_id',
  'campaign_id',
  'benchmark_kind',
  'window_unit',
  'window_size',
  'min_volume',
  'severity',
  'cooldown_minutes',
  'active',
];

/** How long the campaign picker waits after the last key before it searches. */
const SEARCH_DELAY_MS = 300;

interface RuleFormModalProps {
  open: boolean;
  /** The rule being edited; none: a new one. */
  rule: Rule | null;
  onClose: () => void;
  onSaved: (rule: Rule) => void;
}

/** The campaign picker: searches the campaigns by name or platform id as one types. */
function CampaignPicker({
  value,
  onChange,
  onLabel,
}: {
  value?: string | null;
  onChange?: (value: string | null) => void;
  onLabel: (label: string | undefined) => void;
}) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed]);
  const campaigns = useQuery(campaignSearchQuery(q));
  const channels = useQuery(adChannelsQuery);
  const options = (campaigns.data?.items ?? []).map((c) => {
    const channel = channels.data?.find((ch) => ch.id === c.channel_id)?.name;
    return { value: c.id, label: channel ? `${channel} · ${c.name}` : c.name };
  });
  return (
    <Select
      allowClear
      showSearch
      filterOption={false}
      value={value ?? undefined}
      placeholder={t('alerts.scope.each.campaign')}
      loading={campaigns.isFetching}
      options={options}
      onSearch={setTyped}
      onChange={(next?: string) => {
        onLabel(options.find((o) => o.value === next)?.label);
        onChange?.(next ?? null);
      }}
      data-testid="rule-campaign"
    />
  );
}

/** 新建 / 编辑预警规则, with the condition read back as a sentence while it is typed. */
export function RuleFormModal({ open, rule, onClose, onSaved }: RuleFormModalProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const [form] = Form.useForm<RuleValues>();
  const create = useCreateRule();
  const update = useUpdateRule();
  const channels = useQuery({ ...adChannelsQuery, enabled: open && !rule });
  const projects = useQuery({ ...projectsQuery, enabled: open && !rule });
  const [campaignLabel, setCampaignLabel] = useState<string | undefined>();
  const values = (Form.useWatch([], form) as RuleValues | undefined) ?? {};
  const metric = values.metric ?? rule?.metric ?? 'ctr';
  const scopeKind = values.scope_kind ?? rule?.scope_kind ?? 'org';
  const relative = isRelative({ metric: metric as Metric, relative: values.relative });
  const percent = typedAsPercent(metric, relative);
  const unit = metricUnit(metric);

  useEffect(() => {
    if (open) form.setFieldsValue(rule ? ruleValues(rule) : RULE_DEFAULTS);
  }, [open, rule, form]);

  const { submit, close, pending, error } = useSaveForm({
    form,
    existing: rule,
    create,
    update,
    createVars: ruleCreateBody,
    updateVars: (r, submitted) => ({ id: r.id, body: ruleUpdateBody(r, submitted) }),
    fields: FIELDS,
    onSaved,
    onClose: () => {
      setCampaignLabel(undefined);
      onClose();
    },
  });

  const targetLabel = (): string | null | undefined => {
    if (rule) return rule.scope_label;
    if (scopeKind === 'channel') return channels.data?.find((c) => c.id === values.channel_id)?.name;
    if (scopeKind === 'project') return projects.data?.find((p) => p.id === values.project_id)?.name;
    if (scopeKind === 'campaign') return values.campaign_id ? campaignLabel : undefined;
    return undefined;
  };
  const typed = values.threshold?.trim() ?? '';
  const valid = typed !== '' && thresholdPattern(metric, relative).test(typed);
  const condition = conditionText(
    t,
    {
      metric,
      comparator: values.comparator ?? 'lt',
      threshold: valid ? thresholdFromInput(metric, relative, typed) : '',
      relative,
    },
    locale,
  );
  const benchmark =
    needsBenchmarkKind({ metric: metric as Metric, relative, scope_kind: scopeKind }) && values.benchmark_kind
      ? t('alerts.rules.previewBenchmark', { kind: t(`channels.kinds.${values.benchmark_kind}`) })
      : '';
  const preview =
    t('alerts.rules.preview', {
      scope: scopeText(t, scopeKind, targetLabel()),
      window: windowText(t, values.window_unit ?? 'day', values.window_size ?? 1),
      condition,
      severity: t(`alerts.severities.${values.severity ?? 'warning'}`),
    }) + benchmark;

  const thresholdHint = relative
    ? t('alerts.rules.form.thresholdRelativeHint')
    : t(`alerts.rules.form.thresholdHint.${unit}`);

  return (
    <FormModal<RuleValues>
      form={form}
      open={open}
      title={t(rule ? 'alerts.rules.form.editTitle' : 'alerts.rules.form.createTitle')}
      okText={t(rule ? 'common.save' : 'common.create')}
      onSubmit={submit}
      onCancel={close}
      pending={pending}
      error={error}
      destroyOnHidden
      preserve={false}
      width={680}
      submitTestId="rule-submit"
      formTestId="rule-form"
    >
      <Alert type="info" showIcon message={preview} style={{ marginBottom: 16 }} data-testid="rule-preview" />
      <Form.Item
        name="name"
        label={t('alerts.rules.fields.name')}
        rules={[{ required: true, whitespace: true, message: t('alerts.rules.form.nameRequired') }]}
      >
        <Input maxLength={100} data-testid="rule-name" />
      </Form.Item>
      <Flex gap={16} wrap>
        <Form.Item name="metric" label={t('alerts.rules.fields.metric')} style={{ flex: '1 1 200px' }}>
          <Select
            showSearch
            optionFilterProp="label"
            options={METRICS.map((m) => ({ value: m, label: t(`alerts.metrics.${m}`) }))}
            data-testid="rule-metric"
          />
        </Form.Item>
        <Form.Item name="comparator" label={t('alerts.rules.fields.comparator')} style={{ flex: '0 1 150px' }}>
          <Select
            options={COMPARATORS.map((c) => ({
              value: c,
              label: `${COMPARATOR_SYMBOLS[c]} ${t(`alerts.comparators.${c}`)}`,
            }))}
            data-testid="rule-comparator"
          />
        </Form.Item>
        <Form.Item
          name="threshold"
          label={t(relative ? 'alerts.rules.fields.thresholdRelative' : 'alerts.rules.fields.threshold')}
          extra={thresholdHint}
          rules={[
            { required: true, whitespace: true, message: t('alerts.rules.form.thresholdRequired') },
            { pattern: thresholdPattern(metric, relative), message: t('alerts.rules.form.thresholdInvalid') },
          ]}
          style={{ flex: '1 1 180px' }}
        >
          <Input
            inputMode="decimal"
            prefix={!relative && unit === 'money' ? '¥' : undefined}
            suffix={percent ? '%' : undefined}
            data-testid="rule-threshold"
          />
        </Form.Item>
      </Flex>
      {RELATIVE_METRICS.has(metric) ? (
        <Form.Item
          name="relative"
          label={t('alerts.rules.fields.relative')}
          valuePropName="checked"
          extra={t('alerts.rules.form.relativeHint')}
        >
          <Switch data-testid="rule-relative" />
        </Form.Item>
      ) : null}
      {rule ? (
        <Form.Item label={t('alerts.fields.scope')}>
          <Typography.Text data-testid="rule-scope-fixed">
            {`${t(`alerts.scopeKinds.${rule.scope_kind}`)} · ${scopeText(t, rule.scope_kind, rule.scope_label)}`}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {t('alerts.rules.form.scopeFixed')}
          </Typography.Text>
        </Form.Item>
      ) : (
        <Flex gap={16} wrap>
          <Form.Item name="scope_kind" label={t('alerts.fields.scope')} style={{ flex: '1 1 100%' }}>
            <Radio.Group
              optionType="button"
              options={SCOPE_KINDS.map((k) => ({ value: k, label: t(`alerts.scopeKinds.${k}`) }))}
              data-testid="rule-scope-kind"
            />
          </Form.Item>
          {scopeKind === 'channel' ? (
            <Form.Item
              name="channel_id"
              label={t('alerts.scopeKinds.channel')}
              extra={t('alerts.rules.form.eachHint')}
              style={{ flex: 1 }}
            >
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                placeholder={t('alerts.scope.each.channel')}
                options={(channels.data ?? []).filter((c) => c.active).map((c) => ({ value: c.id, label: c.name }))}
                data-testid="rule-channel"
              />
            </Form.Item>
          ) : null}
          {scopeKind === 'project' ? (
            <Form.Item
              name="project_id"
              label={t('alerts.scopeKinds.project')}
              extra={t('alerts.rules.form.eachHint')}
              style={{ flex: 1 }}
            >
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                placeholder={t('alerts.scope.each.project')}
                options={(projects.data ?? []).map((p) => ({ value: p.id, label: `${p.code} · ${p.name}` }))}
                data-testid="rule-project"
              />
            </Form.Item>
          ) : null}
          {scopeKind === 'campaign' ? (
            <Form.Item
              name="campaign_id"
              label={t('alerts.scopeKinds.campaign')}
              extra={t('alerts.rules.form.eachHint')}
              style={{ flex: 1 }}
            >
              <CampaignPicker onLabel={setCampaignLabel} />
            </Form.Item>
          ) : null}
        </Flex>
      )}
      {needsBenchmarkKind({ metric: metric as Metric, relative, scope_kind: scopeKind }) ? (
        <Form.Item
          name="benchmark_kind"
          label={t('alerts.rules.fields.benchmark_kind')}
          extra={t('alerts.rules.form.benchmarkKindHint')}
          rules={[{ required: true, message: t('alerts.rules.form.benchmarkKindRequired') }]}
        >
          <Select
            options={BENCHMARK_KINDS.map((k) => ({ value: k, label: t(`channels.kinds.${k}`) }))}
            data-testid="rule-benchmark-kind"
          />
        </Form.Item>
      ) : null}
      <Flex gap={16} wrap>
        <Form.Item label={t('alerts.fields.window')} required style={{ flex: '1 1 220px' }}>
          <Flex gap={8}>
            <Form.Item name="window_unit" noStyle>
              <Select
                options={WINDOW_UNITS.map((u) => ({ value: u, label: t(`alerts.windowUnits.${u}`) }))}
                style={{ width: 110 }}
                data-testid="rule-window-unit"
              />
            </Form.Item>
            <Form.Item
              name="window_size"
              noStyle
              rules={[
                { required: true, type: 'integer', min: 1, max: 90, message: t('alerts.rules.form.windowInvalid') },
              ]}
            >
              <InputNumber min={1} max={90} precision={0} style={{ width: 100 }} data-testid="rule-window-size" />
            </Form.Item>
          </Flex>
        </Form.Item>
        <Form.Item
          name="min_volume"
          label={t('alerts.rules.fields.min_volume')}
          extra={t('alerts.rules.form.minVolumeHint', { volume: t(`alerts.metrics.${volumeOf(metric)}`) })}
          rules={[{ pattern: /^\d{1,16}(\.\d{1,2})?$/, message: t('alerts.rules.form.minVolumeInvalid') }]}
          style={{ flex: '1 1 220px' }}
        >
          <Input inputMode="decimal" allowClear data-testid="rule-min-volume" />
        </Form.Item>
      </Flex>
      <Flex gap={16} wrap>
        <Form.Item name="severity" label={t('alerts.fields.severity')} style={{ flex: '1 1 160px' }}>
          <Select
            options={SEVERITIES.map((s) => ({ value: s, label: t(`alerts.severities.${s}`) }))}
            data-testid="rule-severity"
          />
        </Form.Item>
        <Form.Item
          name="cooldown_minutes"
          label={t('alerts.rules.fields.cooldown_minutes')}
          extra={t('alerts.rules.form.cooldownHint')}
          rules={[
            { required: true, type: 'integer', min: 0, max: 129600, message: t('alerts.rules.form.cooldownInvalid') },
          ]}
          style={{ flex: '1 1 200px' }}
        >
          <InputNumber min={0} max={129600} precision={0} style={{ width: '100%' }} data-testid="rule-cooldown" />
        </Form.Item>
        <Form.Item name="active" label={t('alerts.rules.fields.active')} valuePropName="checked">
          <Switch data-testid="rule-active" />
        </Form.Item>
      </Flex>
    </FormModal>
  );
}
