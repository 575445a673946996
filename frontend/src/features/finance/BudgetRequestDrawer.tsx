import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '@/api/errors';
import { ProblemAlert } from '@/components/ProblemAlert';
import { fieldErrorText } from '@/lib/errorText';
import type { ProjectFinanceProps } from '@/lib/financePanels';
import { formatMoney } from '@/lib/format';
import { roleLabelKey } from '@/lib/roles';
import type { BudgetSummary } from './api';
import { ChangeText } from './BudgetRequestItems';
import { useDisplayLocale } from './hooks';
import { CATEGORIES } from './model';
import {
  approvalSteps,
  buildRequest,
  DEFAULT_BUDGET_FLOW,
  errorField,
  initialAmounts,
  lineAmountProblem,
  lineChange,
  newLineChange,
  requestKind,
  requestLines,
  requestTotals,
  type BudgetRequestValues,
  type FlowStep,
  type RequestFieldPath,
  type RequestLine,
  type RowRef,
} from './requestModel';
import { budgetFlowQuery, useCreateBudgetRequest } from './requestsApi';

type Project = ProjectFinanceProps['project'];

interface BudgetRequestDrawerProps {
  project: Project;
  summary: BudgetSummary;
  open: boolean;
  onClose: () => void;
}

/**
 * 预算申请 / 预算变更: the project's lines with the amount asked for each, new lines, the
 * reason, and — as it is typed — the budget before and after, the money added and the approval
 * steps it will walk. The server's item errors (`items[2].amount`) land under the row that sent
 * the item.
 */
export function BudgetRequestDrawer({ project, summary, open, onClose }: BudgetRequestDrawerProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const locale = useDisplayLocale();
  const [form] = Form.useForm<BudgetRequestValues>();
  const create = useCreateBudgetRequest(project.id);
  const flow = useQuery({ ...budgetFlowQuery, enabled: open });
  const lines = useMemo(() => requestLines(summary, project.budget_lines), [summary, project.budget_lines]);
  const watchedLines = Form.useWatch('lines', form);
  const watchedAdded = Form.useWatch('added', form);
  const totals = requestTotals(lines, { lines: watchedLines, added: watchedAdded });
  const kind = requestKind(lines);
  const steps: readonly FlowStep[] = flow.data ?? DEFAULT_BUDGET_FLOW;
  const [nothingAsked, setNothingAsked] = useState(false);
  // Whether every field error of the last failure found its row (then no general alert).
  const [placed, setPlaced] = useState(false);
  const money = (amount: string | null | undefined) => formatMoney(amount, project.currency, locale);

  const close = () => {
    create.reset();
    setNothingAsked(false);
    onClose();
  };

  const submit = (values: BudgetRequestValues) => {
    const { body, refs } = buildRequest(lines, values);
    if (body.items.length === 0) {
      setNothingAsked(true);
      return;
    }
    setNothingAsked(false);
    create.mutate(body, {
      onSuccess: () => {
        void message.success(t('finance.requests.submitted'));
        close();
      },
      onError: (error) => setPlaced(placeErrors(error, refs)),
    });
  };

  const placeErrors = (error: unknown, refs: RowRef[]): boolean => {
    if (!isApiError(error) || error.errors.length === 0) return false;
    const byField = new Map<string, { name: RequestFieldPath; errors: string[] }>();
    let all = true;
    for (const e of error.errors) {
      const name = errorField(e.field, refs);
      if (!name) {
        all = false;
        continue;
      }
      const key = name.join('.');
      const entry = byField.get(key) ?? { name, errors: [] };
      entry.errors.push(fieldErrorText(e, t));
      byField.set(key, entry);
    }
    form.setFields([...byField.values()]);
    return all;
  };

  const amountRule = {
    validator: (_: unknown, value: unknown) => {
      if (value === null || value === undefined || value === '') return Promise.resolve();
      const problem = lineAmountProblem(value);
      return problem ? Promise.reject(new Error(t(`finance.requests.form.${problem}`))) : Promise.resolve();
    },
  };

  const phaseName = (phaseId: string | null) =>
    phaseId ? (project.phases.find((p) => p.id === phaseId)?.name ?? '—') : t('finance.budget.noPhase');

  const columns: ColumnsType<RequestLine> = [
    {
      title: t('finance.line'),
      key: 'name',
      render: (_, line) => (
        <Flex vertical gap={2}>
          <Typography.Text>{line.name}</Typography.Text>
          <Flex gap={4} wrap>
            <Tag bordered={false}>{t(`finance.category.${line.category}`)}</Tag>
            {line.state === 'plan' ? <Tag color="default">{t('finance.lineState.plan')}</Tag> : null}
          </Flex>
        </Flex>
      ),
    },
    { title: t('finance.budget.phase'), key: 'phase', width: 110, render: (_, line) => phaseName(line.phaseId) },
    {
      title: t('finance.requests.approvedNow'),
      key: 'approved',
      align: 'right',
      width: 150,
      render: (_, line) =>
        line.state === 'approved' ? (
          money(line.approved)
        ) : (
          <Flex vertical align="end">
            <Typography.Text type="secondary">{t('finance.requests.notApproved')}</Typography.Text>
            {line.planned ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('finance.requests.planned', { amount: money(line.planned) })}
              </Typography.Text>
            ) : null}
          </Flex>
        ),
    },
    {
      title: t('finance.requests.askFor'),
      key: 'amount',
      width: 200,
      render: (_, line) => (
        <Form.Item name={['lines', line.id]} rules={[amountRule]} style={{ marginBottom: 0 }}>
          <InputNumber<string>
            stringMode
            min="0"
            style={{ width: '100%' }}
            placeholder={line.state === 'plan' ? t('finance.requests.leaveAsPlan') : undefined}
            aria-label={t('finance.requests.askForLine', { line: line.name })}
            data-testid={`request-line-${line.id}`}
          />
        </Form.Item>
      ),
    },
    {
      title: t('finance.requests.change'),
      key: 'change',
      align: 'right',
      width: 140,
      render: (_, line) => (
        <ChangeText
          change={lineChange(line, watchedLines?.[line.id])}
          currency={project.currency}
          locale={locale}
          testId={`request-line-${line.id}-change`}
        />
      ),
    },
  ];

  const failure = create.error && !(placed && isApiError(create.error)) ? create.error : null;

  return (
    <Drawer
      open={open}
      onClose={close}
      width={980}
      title={
        <Flex vertical>
          <span>{t(`finance.requests.kind.${kind}`)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
            {project.code} {project.name}
          </Typography.Text>
        </Flex>
      }
      destroyOnHidden
      data-testid="budget-request-drawer"
      footer={
        <Flex justify="space-between" align="center" gap={12} wrap>
          <ApprovalRoute steps={approvalSteps(steps, totals.added)} all={steps} currency={project.currency} />
          <Flex gap={8}>
            <Button onClick={close}>{t('common.cancel')}</Button>
            <Button
              type="primary"
              loading={create.isPending}
              onClick={() => form.submit()}
              data-testid="budget-request-submit"
            >
              {t('finance.requests.submit')}
            </Button>
          </Flex>
        </Flex>
      }
    >
      <Flex vertical gap={16}>
        {failure ? <ProblemAlert error={failure} /> : null}
        {nothingAsked ? (
          <Alert type="warning" showIcon message={t('finance.requests.nothingAsked')} data-testid="request-empty" />
        ) : null}
        <Typography.Text type="secondary">{t(`finance.requests.hint.${kind}`)}</Typography.Text>
        <Form<BudgetRequestValues>
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{ lines: initialAmounts(lines), added: [], reason: '' }}
          data-testid="budget-request-form"
        >
          <Table<RequestLine>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={lines}
            columns={columns}
            locale={{ emptyText: t('finance.budget.noLines') }}
            data-testid="request-lines"
            scroll={{ x: 760 }}
          />
          <Form.List name="added">
            {(fields, { add, remove }) => (
              <Flex vertical gap={8} style={{ marginTop: 16 }} data-testid="request-added">
                {fields.map((field) => (
                  <Row key={field.key} gutter={8} align="top" data-testid={`request-added-${field.name}`}>
                    <Col xs={12} md={5}>
                      <Form.Item
                        name={[field.name, 'category']}
                        rules={[{ required: true, message: t('finance.requests.form.category') }]}
                        style={{ marginBottom: 0 }}
                      >
                        <Select
                          placeholder={t('finance.record.categoryPlaceholder')}
                          options={CATEGORIES.map((c) => ({ value: c, label: t(`finance.category.${c}`) }))}
                          data-testid={`request-added-${field.name}-category`}
                        />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={6}>
                      <Form.Item
                        name={[field.name, 'name']}
                        rules={[{ required: true, whitespace: true, message: t('finance.requests.form.name') }]}
                        style={{ marginBottom: 0 }}
                      >
                        <Input
                          maxLength={200}
                          placeholder={t('finance.requests.newLineName')}
                          data-testid={`request-added-${field.name}-name`}
                        />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={4}>
                      <Form.Item name={[field.name, 'phase_id']} style={{ marginBottom: 0 }}>
                        <Select
                          allowClear
                          placeholder={t('finance.budget.noPhase')}
                          options={project.phases.map((p) => ({ value: p.id, label: p.name }))}
                          data-testid={`request-added-${field.name}-phase`}
                        />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={5}>
                      <Form.Item
                        name={[field.name, 'amount']}
                        rules={[{ required: true, message: t('finance.requests.form.required') }, amountRule]}
                        style={{ marginBottom: 0 }}
                      >
                        <InputNumber<string>
                          stringMode
                          min="0"
                          style={{ width: '100%' }}
                          placeholder={t('finance.requests.askFor')}
                          data-testid={`request-added-${field.name}-amount`}
                        />
                      </Form.Item>
                    </Col>
                    <Col xs={20} md={3} style={{ textAlign: 'right', paddingTop: 5 }}>
                      <ChangeText
                        change={newLineChange(watchedAdded?.[field.name]?.amount)}
                        currency={project.currency}
                        locale={locale}
                      />
                    </Col>
                    <Col xs={4} md={1}>
                      <Button
                        type="text"
                        icon={<DeleteOutlined />}
                        aria-label={t('finance.requests.removeLine')}
                        onClick={() => remove(field.name)}
                        data-testid={`request-added-${field.name}-remove`}
                      />
                    </Col>
                  </Row>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ category: null, name: '', phase_id: null, amount: null })}
                  data-testid="request-add-line"
                >
                  {t('finance.requests.addLine')}
                </Button>
              </Flex>
            )}
          </Form.List>
          <Form.Item
            name="reason"
            label={t('finance.requests.reason')}
            rules={[{ required: true, whitespace: true, message: t('finance.requests.form.reason') }]}
            style={{ marginTop: 16 }}
          >
            <Input.TextArea
              rows={3}
              maxLength={2000}
              showCount
              placeholder={t('finance.requests.reasonPlaceholder')}
              data-testid="request-reason"
            />
          </Form.Item>
        </Form>
        <Totals before={money(totals.before)} after={money(totals.after)} added={money(totals.added)} />
      </Flex>
    </Drawer>
  );
}

function Totals({ before, after, added }: { before: string; after: string; added: string }) {
  const { t } = useTranslation();
  return (
    <Card size="small" data-testid="request-totals">
      <Row gutter={16}>
        <Col span={8}>
          <Statistic title={t('finance.requests.before')} value={before} data-testid="request-total-before" />
        </Col>
        <Col span={8}>
          <Statistic title={t('finance.requests.after')} value={after} data-testid="request-total-after" />
        </Col>
        <Col span={8}>
          <Statistic title={t('finance.requests.added')} value={added} data-testid="request-total-added" />
        </Col>
      </Row>
    </Card>
  );
}

/** The steps this request will walk, and those it will not (a floor it stays under). */
function ApprovalRoute({ steps, all, currency }: { steps: FlowStep[]; all: readonly FlowStep[]; currency: string }) {
  const { t } = useTranslation();
  const locale = useDisplayLocale();
  const skipped = all.filter((s) => !steps.includes(s));
  const parts: ReactNode[] = [];
  steps.forEach((s, i) => {
    if (i > 0) parts.push(<span key={`arrow-${i}`}>→</span>);
    parts.push(
      <Tag key={`step-${i}`} color="processing" bordered={false} data-testid="request-step" data-role={s.role}>
        {t(roleLabelKey(s.role))}
      </Tag>,
    );
  });
  return (
    <Flex vertical gap={2} data-testid="request-steps">
      <Flex align="center" gap={4} wrap>
        <Typography.Text type="secondary">{t('finance.requests.steps')}</Typography.Text>
        {parts.length > 0 ? parts : <Typography.Text type="secondary">—</Typography.Text>}
      </Flex>
      {steps
        .filter((s) => s.min_amount !== null)
        .map((s, i) => (
          <Typography.Text key={`why-${i}`} type="warning" style={{ fontSize: 12 }} data-testid="request-step-reason">
            {t('finance.requests.stepBecause', {
              role: t(roleLabelKey(s.role)),
              amount: formatMoney(s.min_amount, currency, locale),
            })}
          </Typography.Text>
        ))}
      {skipped.map((s, i) => (
        <Typography.Text key={`skip-${i}`} type="secondary" style={{ fontSize: 12 }}>
          {t('finance.requests.stepAbove', {
            role: t(roleLabelKey(s.role)),
            amount: formatMoney(s.min_amount, currency, locale),
          })}
        </Typography.Text>
      ))}
    </Flex>
  );
}
