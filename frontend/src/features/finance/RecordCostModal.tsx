import { App, Button, Col, DatePicker, Form, Input, InputNumber, Radio, Row, Select, Tooltip } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from '@/components/FormModal';
import { todayIn } from '@/lib/format';
import { applyFieldErrors } from '@/lib/formErrors';
import type { ProjectFinanceProps } from '@/lib/financePanels';
import { useSession } from '@/lib/session';
import { useRecordCost, type BudgetSummary, type LineFigures } from './api';
import { useRecordRight } from './rights';
import { useAnnounceCrossings } from './crossingAlerts';
import {
  amountProblem,
  CATEGORIES,
  convertedProblem,
  COST_FIELDS,
  COST_KINDS,
  costBody,
  CURRENCIES,
  rateProblem,
  type CostFormValues,
} from './model';

type Project = ProjectFinanceProps['project'];
/** 记一笔成本: the button, shown to who may record, and its form. */
export function RecordCostButton({
  project,
  mayManage,
  summary,
}: ProjectFinanceProps & { summary: BudgetSummary | undefined }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const right = useRecordRight(project, mayManage);
  if (!right.visible) return null;
  return (
    <>
      <Tooltip title={right.refusal}>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          disabled={!!right.refusal || !summary}
          onClick={() => setOpen(true)}
          data-testid="cost-record"
        >
          {t('finance.record.action')}
        </Button>
      </Tooltip>
      {summary ? (
        <RecordCostModal project={project} summary={summary} open={open} onClose={() => setOpen(false)} />
      ) : null}
    </>
  );
}

interface RecordCostModalProps {
  project: Project;
  summary: BudgetSummary;
  open: boolean;
  onClose: () => void;
}

function lineOptions(lines: readonly LineFigures[], t: (key: string) => string) {
  return CATEGORIES.map((category) => ({
    label: t(`finance.category.${category}`),
    title: category,
    options: lines
      .filter((l) => l.category === category)
      .map((l) => ({
        value: l.id,
        label: l.state === 'approved' ? l.name : `${l.name}（${t('finance.lineState.plan')}）`,
      })),
  })).filter((group) => group.options.length > 0);
}

/**
 * The form of one cost. Mirrors the server's rules so most mistakes show before sending
 * (amount above zero with two decimals at most; a category when no line is chosen; a rate
 * for another currency than the project's), and puts the server's field errors under the
 * fields they name.
 */
export function RecordCostModal({ project, summary, open, onClose }: RecordCostModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const announce = useAnnounceCrossings();
  const me = useSession();
  const [form] = Form.useForm<CostFormValues>();
  const record = useRecordCost(project.id);
  const currency = Form.useWatch('currency', form) ?? project.currency;
  const lineId = Form.useWatch('line_id', form);
  const foreign = currency !== project.currency;
  const line = summary.lines.find((l) => l.id === lineId);
  const currencies = [...new Set([project.currency, me.org.currency || 'CNY', ...CURRENCIES])];

  const close = () => {
    record.reset();
    onClose();
  };

  const submit = (values: CostFormValues) => {
    record.mutate(costBody(values, project.currency), {
      onSuccess: ({ crossings }) => {
        void message.success(t('finance.record.done'));
        announce(crossings, summary.thresholds);
        close();
      },
      onError: (error) => void applyFieldErrors(form, error, { fields: COST_FIELDS }),
    });
  };

  const decimalRule = (check: (v: unknown) => string | null, decimalsKey: string) => ({
    validator: (_: unknown, value: unknown) => {
      const problem = check(value);
      if (!problem) return Promise.resolve();
      return Promise.reject(new Error(t(problem === 'decimals' ? decimalsKey : `finance.form.${problem}`)));
    },
  });

  return (
    <FormModal<CostFormValues>
      form={form}
      open={open}
      title={t('finance.record.title')}
      okText={t('common.save')}
      onSubmit={submit}
      onCancel={close}
      pending={record.isPending}
      error={record.error}
      destroyOnHidden
      preserve={false}
      width={560}
      submitTestId="cost-submit"
      formTestId="cost-form"
      initialValues={{
        kind: 'actual',
        incurred_on: dayjs(todayIn(me.org.timezone)),
        currency: project.currency,
        line_id: null,
        category: null,
        phase_id: null,
      }}
      onValuesChange={(changed: Partial<CostFormValues>) => {
        if ('line_id' in changed) {
          // A line gives its category (the server takes the line's) and, unless chosen, its phase.
          const chosen = summary.lines.find((l) => l.id === changed.line_id);
          if (chosen) {
            form.setFieldValue('category', chosen.category);
            if (!form.getFieldValue('phase_id')) form.setFieldValue('phase_id', chosen.phase_id);
          }
          void form.validateFields(['category']).catch(() => undefined);
        }
        if ('currency' in changed && changed.currency === project.currency) form.setFieldValue('rate', null);
      }}
    >
      <Form.Item name="kind" label={t('finance.record.fields.kind')} rules={[{ required: true }]}>
        <Radio.Group optionType="button" data-testid="cost-kind">
          {COST_KINDS.map((kind) => (
            <Radio.Button key={kind} value={kind} data-testid={`cost-kind-${kind}`}>
              {t(`finance.kind.${kind}`)}
            </Radio.Button>
          ))}
        </Radio.Group>
      </Form.Item>
      <Form.Item
        name="incurred_on"
        label={t('finance.record.fields.incurred_on')}
        rules={[{ required: true, message: t('finance.form.dateRequired') }]}
      >
        <DatePicker style={{ width: '100%' }} data-testid="cost-incurred-on" />
      </Form.Item>
      <Form.Item name="line_id" label={t('finance.record.fields.line_id')} extra={t('finance.record.lineHelp')}>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('finance.record.linePlaceholder')}
          options={lineOptions(summary.lines, t)}
          data-testid="cost-line"
        />
      </Form.Item>
      <Form.Item
        name="category"
        label={t('finance.record.fields.category')}
        required={!line}
        extra={line ? t('finance.record.categoryFromLine') : undefined}
        rules={[
          {
            validator: (_: unknown, value: unknown) =>
              value || form.getFieldValue('line_id')
                ? Promise.resolve()
                : Promise.reject(new Error(t('finance.form.categoryRequired'))),
          },
        ]}
      >
        <Select
          allowClear
          disabled={!!line}
          placeholder={t('finance.record.categoryPlaceholder')}
          options={CATEGORIES.map((c) => ({ value: c, label: t(`finance.category.${c}`) }))}
          data-testid="cost-category"
        />
      </Form.Item>
      <Form.Item name="phase_id" label={t('finance.record.fields.phase_id')}>
        <Select
          allowClear
          placeholder={t('finance.budget.noPhase')}
          options={project.phases.map((p) => ({ value: p.id, label: p.name }))}
          data-testid="cost-phase"
        />
      </Form.Item>
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item name="currency" label={t('finance.record.fields.currency')} rules={[{ required: true }]}>
            <Select
              options={currencies.map((c) => ({ value: c, label: c, title: t(`projects.currencies.${c}`, c) }))}
              data-testid="cost-currency"
            />
          </Form.Item>
        </Col>
        <Col span={16}>
          <Form.Item
            name="amount"
            label={t('finance.record.fields.amount')}
            required
            rules={[decimalRule(amountProblem, 'finance.form.decimals2')]}
          >
            <InputNumber<string>
              stringMode
              min="0"
              precision={2}
              style={{ width: '100%' }}
              placeholder="0.00"
              data-testid="cost-amount"
            />
          </Form.Item>
        </Col>
      </Row>
      {foreign ? (
        <Form.Item
          name="rate"
          label={t('finance.record.fields.rate')}
          required
          extra={t('finance.record.rateHelp', { currency, project: project.currency })}
          dependencies={['amount', 'currency']}
          rules={[
            {
              validator: (_: unknown, value: unknown) => {
                if (value === null || value === undefined || value === '') {
                  return Promise.reject(
                    new Error(t('finance.form.rateRequired', { currency, project: project.currency })),
                  );
                }
                const problem = rateProblem(value);
                if (problem) {
                  return Promise.reject(
                    new Error(t(problem === 'decimals' ? 'finance.form.decimals6' : `finance.form.${problem}`)),
                  );
                }
                const amount: unknown = form.getFieldValue('amount');
                const converted = amountProblem(amount) ? null : convertedProblem(amount, value);
                return converted ? Promise.reject(new Error(t(`finance.form.${converted}`))) : Promise.resolve();
              },
            },
          ]}
        >
          <InputNumber<string> stringMode min="0" style={{ width: '100%' }} data-testid="cost-rate" />
        </Form.Item>
      ) : null}
      <Form.Item name="vendor" label={t('finance.record.fields.vendor')}>
        <Input maxLength={200} autoComplete="off" data-testid="cost-vendor" />
      </Form.Item>
      <Form.Item name="description" label={t('finance.record.fields.description')}>
        <Input.TextArea maxLength={5000} autoSize={{ minRows: 2, maxRows: 5 }} data-testid="cost-description" />
      </Form.Item>
    </FormModal>
  );
}
