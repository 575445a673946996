import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, InputNumber, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldError } from '@/api/errors';
import { ProblemAlert } from '@/components/ProblemAlert';
import { formatMoney } from '@/lib/format';
import { roleLabelKey } from '@/lib/roles';
import { approvalFlowsQuery, useSetApprovalFlow, type ApprovalFlow, type RequestType } from './api';
import {
  addStep,
  APPROVER_ROLES,
  buildFlowBody,
  draftsFromFlow,
  hasProblems,
  moveStep,
  removeStep,
  REQUEST_TYPES,
  serverFlowProblems,
  updateStep,
  validateSteps,
  type FlowProblems,
  type StepDraft,
} from './flowModel';

function useLocale(): 'zh-CN' | 'en' {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

/** The steps of one request type, edited in place and saved as a whole. */
function FlowCard({ flow, canManage }: { flow: ApprovalFlow; canManage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const locale = useLocale();
  const [steps, setSteps] = useState<StepDraft[]>(() => draftsFromFlow(flow));
  const [revision, setRevision] = useState(flow.revision);
  const [shown, setShown] = useState<FlowProblems | null>(null);
  const save = useSetApprovalFlow();
  const requestType = flow.request_type;

  // Known server complaints in the reader's language; anything else as the server put it.
  const serverText = (e: FieldError) => {
    if (e.type === 'no_unconditional_step') return t('settings.flows.needUnconditional');
    if (e.type === 'role_cannot_decide') return t('settings.flows.roleCannotDecide');
    return e.message;
  };
  const server = serverFlowProblems(save.error, serverText);
  const local = shown ? { rows: shown.rows, flow: shown.flow.map((k) => t(k)) } : { rows: {}, flow: [] };
  const rowErrors = (i: number) => [...(local.rows[i] ?? []).map((k) => t(k)), ...(server.rows[i] ?? [])];
  const flowErrors = [...local.flow, ...server.flow];

  const change = (next: StepDraft[]) => {
    setSteps(next);
    if (shown) setShown(validateSteps(next));
    if (save.error) save.reset();
  };

  const submit = () => {
    const problems = validateSteps(steps);
    setShown(problems);
    if (hasProblems(problems)) return;
    save.mutate(
      { requestType, revision, ...buildFlowBody(steps) },
      {
        onSuccess: (saved) => {
          setSteps(draftsFromFlow(saved));
          setRevision(saved.revision);
          setShown(null);
          void message.success(t('settings.flows.saved'));
        },
      },
    );
  };

  return (
    <Card
      size="small"
      data-testid={`flow-${requestType}`}
      title={
        <Space>
          {t(`settings.flows.types.${requestType}`)}
          {flow.is_default ? (
            <Tag bordered={false} data-testid="flow-default">
              {t('settings.flows.default')}
            </Tag>
          ) : null}
        </Space>
      }
      extra={
        canManage ? (
          <Button
            type="primary"
            size="small"
            loading={save.isPending}
            onClick={submit}
            data-testid={`flow-save-${requestType}`}
          >
            {t('common.save')}
          </Button>
        ) : null
      }
    >
      {flowErrors.length > 0 ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="flow-error"
          message={flowErrors.length === 1 ? flowErrors[0] : undefined}
          description={
            flowErrors.length > 1 ? (
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {flowErrors.map((e) => (
                  <li key={e}>{e}</li>
                ))}
              </ul>
            ) : undefined
          }
        />
      ) : null}
      {save.error && server.flow.length === 0 && Object.keys(server.rows).length === 0 ? (
        <ProblemAlert error={save.error} />
      ) : null}
      <Flex vertical gap={8}>
        {steps.map((step, i) => {
          const errors = rowErrors(i);
          return (
            <div key={step.key} data-testid="flow-step">
              <Flex gap={8} align="center" wrap>
                <Tag color="blue" bordered={false} style={{ minWidth: 64, textAlign: 'center' }}>
                  {t('settings.flows.stepN', { n: i + 1 })}
                </Tag>
                <Select<string>
                  value={step.role ?? undefined}
                  placeholder={t('settings.flows.pickRole')}
                  disabled={!canManage}
                  status={errors.length > 0 && !step.role ? 'error' : undefined}
                  onChange={(role) => change(updateStep(steps, i, { role: role as StepDraft['role'] }))}
                  options={APPROVER_ROLES.map((r) => ({ value: r, label: t(roleLabelKey(r)) }))}
                  style={{ width: 160 }}
                  aria-label={t('settings.flows.role')}
                  data-testid="flow-step-role"
                />
                <Space.Compact>
                  <Button disabled tabIndex={-1} style={{ cursor: 'default' }}>
                    {t('settings.flows.onlyAbove')}
                  </Button>
                  <InputNumber<number>
                    value={step.minAmount}
                    min={0}
                    step={10000}
                    precision={2}
                    prefix="¥"
                    disabled={!canManage}
                    placeholder={t('settings.flows.anyAmount')}
                    onChange={(v) => change(updateStep(steps, i, { minAmount: v ?? null }))}
                    style={{ width: 200 }}
                    aria-label={t('settings.flows.onlyAbove')}
                    data-testid="flow-step-amount"
                  />
                </Space.Compact>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {step.minAmount === null
                    ? t('settings.flows.appliesAlways')
                    : t('settings.flows.appliesAbove', { amount: formatMoney(step.minAmount, 'CNY', locale) })}
                </Typography.Text>
                {canManage ? (
                  <Space size={4} style={{ marginInlineStart: 'auto' }}>
                    <Button
                      size="small"
                      icon={<ArrowUpOutlined />}
                      disabled={i === 0}
                      onClick={() => change(moveStep(steps, i, -1))}
                      aria-label={t('settings.flows.moveUp')}
                    />
                    <Button
                      size="small"
                      icon={<ArrowDownOutlined />}
                      disabled={i === steps.length - 1}
                      onClick={() => change(moveStep(steps, i, 1))}
                      aria-label={t('settings.flows.moveDown')}
                    />
                    <Button
                      size="small"
                      danger
                      icon={<DeleteOutlined />}
                      disabled={steps.length <= 1}
                      onClick={() => change(removeStep(steps, i))}
                      aria-label={t('settings.flows.remove')}
                    />
                  </Space>
                ) : null}
              </Flex>
              {errors.length > 0 ? (
                <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid="flow-step-error">
                  {errors.join('; ')}
                </Typography.Text>
              ) : null}
            </div>
          );
        })}
        {canManage ? (
          <Button
            type="dashed"
            icon={<PlusOutlined />}
            onClick={() => change(addStep(steps))}
            disabled={steps.length >= 10}
            data-testid={`flow-add-${requestType}`}
          >
            {t('settings.flows.add')}
          </Button>
        ) : null}
      </Flex>
    </Card>
  );
}

/** Who approves what, per request type: ordered steps, some only above an amount. */
export function ApprovalFlowsEditor({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const flows = useQuery(approvalFlowsQuery);
  const byType = (type: RequestType) => flows.data?.find((f) => f.request_type === type);
  return (
    <Card variant="borderless" title={t('settings.flows.title')} data-testid="approval-flows">
      <Typography.Paragraph type="secondary">{t('settings.flows.intro')}</Typography.Paragraph>
      <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('settings.flows.underWay')} />
      {flows.error ? <ProblemAlert error={flows.error} onRetry={() => void flows.refetch()} /> : null}
      {flows.isPending ? <Skeleton active /> : null}
      <Flex vertical gap={16}>
        {REQUEST_TYPES.map((type) => {
          const flow = byType(type);
          // Keyed by type only: a remount on refetch would drop the save's callbacks and the edits.
          return flow ? <FlowCard key={type} flow={flow} canManage={canManage} /> : null;
        })}
      </Flex>
    </Card>
  );
}
