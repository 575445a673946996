import { CheckOutlined, FileAddOutlined, FlagOutlined } from '@ant-design/icons';
import { useQueries, useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Form,
  Row,
  Select,
  Skeleton,
  Steps,
  Tag,
  Typography,
  theme,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { formatDay, formatMoney, todayIn } from '@/lib/format';
import { paths, projectPath } from '@/lib/paths';
import { useSession } from '@/lib/session';
import {
  goalsQuery,
  kpisQuery,
  namingConventionQuery,
  periodsQuery,
  periodValuesQuery,
  teamsQuery,
  templatesQuery,
  useCreateProject,
  type GoalLinkIn,
  type Template,
} from './api';
import { useDisplayLocale } from './hooks';
import {
  BLANK_TEMPLATE,
  buildCreateBody,
  goalOptions,
  goalPeriodIds,
  isDuplicateName,
  namingProblem,
  namingRefusal,
  periodFor,
  templateDates,
  todayDayjs,
  type BasicsValues,
} from './model';
import { NameBuilder } from './NameBuilder';
import { ProjectBasicsFields } from './ProjectBasicsFields';
import { useNameCheck } from './useNameCheck';

const BASIC_FIELDS = ['name', 'type', 'dates', 'total_budget', 'period_id', 'team_id', 'description'] as const;
const NO_PARTS: Record<string, string> = {};
const NO_VALUES: string[] = [];

function TemplateCard({
  template,
  selected,
  onSelect,
}: {
  template: Template | null;
  selected: boolean;
  onSelect: () => void;
}) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const id = template?.id ?? BLANK_TEMPLATE;
  return (
    <Card
      hoverable
      onClick={onSelect}
      data-testid="template-card"
      data-template-id={id}
      aria-pressed={selected}
      role="button"
      style={{
        height: '100%',
        borderColor: selected ? token.colorPrimary : undefined,
        boxShadow: selected ? `0 0 0 2px ${token.colorPrimaryBorder}` : undefined,
      }}
      title={
        <Flex align="center" gap={8}>
          {selected ? <CheckOutlined style={{ color: token.colorPrimary }} /> : <FileAddOutlined />}
          <span>{template ? template.name : t('projects.wizard.blank')}</span>
        </Flex>
      }
      extra={
        template ? (
          <Tag color={template.builtin ? 'blue' : 'purple'} bordered={false}>
            {t(template.builtin ? 'projects.wizard.builtin' : 'projects.wizard.saved')}
          </Tag>
        ) : null
      }
    >
      {template ? (
        <Flex vertical gap={6}>
          {template.description ? <Typography.Text type="secondary">{template.description}</Typography.Text> : null}
          <Typography.Text style={{ fontSize: 13 }}>
            {t('projects.wizard.templateSummary', {
              days: template.duration_days,
              phases: template.phases.length,
              tasks: template.phases.reduce((n, p) => n + p.tasks.length, 0),
            })}
          </Typography.Text>
          <Flex wrap gap={4}>
            {template.phases.map((p) => (
              <Tag key={p.name} bordered={false}>
                {p.name}
              </Tag>
            ))}
          </Flex>
        </Flex>
      ) : (
        <Typography.Text type="secondary">{t('projects.wizard.blankHint')}</Typography.Text>
      )}
    </Card>
  );
}

/** One linked goal, with an optional key result of that goal. */
function GoalLinkRow({
  link,
  title,
  onChange,
}: {
  link: GoalLinkIn;
  title: string;
  onChange: (keyResultId: string | null) => void;
}) {
  const { t } = useTranslation();
  const kpis = useQuery(kpisQuery(link.objective_id));
  return (
    <Flex align="center" gap={12} wrap data-testid="goal-link-row" style={{ padding: '6px 0' }}>
      <FlagOutlined />
      <Typography.Text strong style={{ flex: '1 1 240px' }}>
        {title}
      </Typography.Text>
      <Select
        allowClear
        placeholder={t('projects.wizard.keyResultOptional')}
        value={link.key_result_id ?? undefined}
        onChange={(value?: string) => onChange(value ?? null)}
        loading={kpis.isPending}
        options={(kpis.data ?? []).map((k) => ({ value: k.id, label: k.name }))}
        style={{ width: 300 }}
        data-testid="goal-link-kr"
      />
    </Flex>
  );
}

/** New project: template → basics (with the naming check) → goals → review and create. */
export function NewProjectPage() {
  const { t } = useTranslation();
  const me = useSession();
  const locale = useDisplayLocale();
  const navigate = useNavigate();
  const [form] = Form.useForm<BasicsValues>();
  const [step, setStep] = useState(0);
  const [template, setTemplate] = useState<string>(BLANK_TEMPLATE);
  const [links, setLinks] = useState<GoalLinkIn[]>([]);
  const templates = useQuery(templatesQuery);
  const periods = useQuery(periodsQuery);
  const teams = useQuery(teamsQuery);
  const create = useCreateProject();

  const name = Form.useWatch('name', form);
  const periodId = Form.useWatch('period_id', form);
  const dates = Form.useWatch('dates', form);
  // The name's period must agree with the project's period (or, without one, its dates).
  const nameContext = useMemo(
    () => ({
      period_id: periodId ?? null,
      starts_on: dates?.[0]?.format('YYYY-MM-DD'),
      ends_on: dates?.[1]?.format('YYYY-MM-DD'),
    }),
    [periodId, dates],
  );
  const check = useNameCheck(name, nameContext);
  const convention = useQuery(namingConventionQuery);
  const rule = convention.data?.enabled && convention.data.pattern ? convention.data : null;
  const periodValues = useQuery({
    ...periodValuesQuery(nameContext),
    enabled: rule !== null && (!!periodId || !!nameContext.starts_on),
  });
  const checkedParts = check.state === 'ok' || check.state === 'bad' ? check.result.parts : NO_PARTS;

  const periodIds = useMemo(() => goalPeriodIds(periods.data ?? [], periodId), [periods.data, periodId]);
  const goals = useQuery({ ...goalsQuery(periodIds), enabled: step >= 2 });
  const options = useMemo(() => goalOptions(goals.data ?? []), [goals.data]);
  const titleOf = (id: string) => goals.data?.find((g) => g.id === id)?.title ?? id;
  // Key-result names for the review step (cached by the rows of the goal step).
  const linkKpis = useQueries({ queries: links.map((l) => ({ ...kpisQuery(l.objective_id), enabled: step === 3 })) });
  const krName = (id: string | null | undefined) =>
    id ? linkKpis.flatMap((q) => q.data ?? []).find((k) => k.id === id)?.name : undefined;

  const chosen = templates.data?.find((tpl) => tpl.id === template);

  const chooseTemplate = (id: string) => {
    setTemplate(id);
    const tpl = templates.data?.find((x) => x.id === id);
    const current = form.getFieldsValue(true) as Partial<BasicsValues>;
    const start = current.dates?.[0] ?? todayDayjs(todayIn(me.org.timezone));
    const dates = templateDates(tpl, start);
    form.setFieldsValue({
      type: tpl?.project_type ?? current.type ?? 'other',
      dates,
      period_id: current.period_id ?? periodFor(periods.data ?? [], dates[0].format('YYYY-MM-DD'))?.id,
    });
  };

  const next = async () => {
    if (step === 0) {
      if (!(form.getFieldsValue(true) as Partial<BasicsValues>).dates) chooseTemplate(template);
      setStep(1);
      return;
    }
    if (step === 1) {
      try {
        await form.validateFields([...BASIC_FIELDS]);
      } catch {
        return;
      }
      if (check.state === 'bad') {
        const taken = check.result.issues.every((i) => i.type === 'duplicate');
        form.setFields([
          { name: 'name', errors: [t(taken ? 'projects.naming.takenFirst' : 'projects.naming.fixFirst')] },
        ]);
        return;
      }
      setStep(2);
      return;
    }
    setStep(step + 1);
  };

  const submit = () => {
    const values = form.getFieldsValue(true) as BasicsValues;
    create.mutate(buildCreateBody(values, template, links, me.org.currency || 'CNY'), {
      onSuccess: (project) => void navigate(projectPath(project.id)),
      onError: (error) => {
        if (isDuplicateName(error)) {
          // Taken since it was checked (or at the same moment): say so where the name is.
          form.setFields([{ name: 'name', errors: [t('nameCheck.issues.duplicate')] }]);
          setStep(1);
          return;
        }
        const naming = namingProblem(error);
        if (naming) {
          form.setFields([
            {
              name: 'name',
              errors: [namingRefusal(t, naming)],
            },
          ]);
          setStep(1);
        }
      },
    });
  };

  const values = form.getFieldsValue(true) as Partial<BasicsValues>;
  const periodName = periods.data?.find((p) => p.id === values.period_id)?.name;
  const teamName = teams.data?.find((x) => x.id === values.team_id)?.name;

  const stepItems = [
    { title: t('projects.wizard.steps.template') },
    { title: t('projects.wizard.steps.basics') },
    { title: t('projects.wizard.steps.goals') },
    { title: t('projects.wizard.steps.review') },
  ];

  return (
    <>
      <PageHeader title={t('projects.wizard.title')} subtitle={t('projects.wizard.subtitle')} testId="wizard-page" />
      <Card variant="borderless" style={{ marginBottom: 16 }}>
        <Steps current={step} items={stepItems} data-testid="wizard-steps" />
      </Card>
      <Card variant="borderless">
        {step === 0 ? (
          templates.isPending ? (
            <Skeleton active />
          ) : (
            <>
              {templates.error ? <ProblemAlert error={templates.error} /> : null}
              <Row gutter={[16, 16]}>
                {(templates.data ?? []).map((tpl) => (
                  <Col key={tpl.id} xs={24} md={12} xl={6}>
                    <TemplateCard
                      template={tpl}
                      selected={template === tpl.id}
                      onSelect={() => chooseTemplate(tpl.id)}
                    />
                  </Col>
                ))}
                <Col xs={24} md={12} xl={6}>
                  <TemplateCard
                    template={null}
                    selected={template === BLANK_TEMPLATE}
                    onSelect={() => chooseTemplate(BLANK_TEMPLATE)}
                  />
                </Col>
              </Row>
            </>
          )
        ) : null}

        <Form<BasicsValues>
          form={form}
          layout="vertical"
          requiredMark
          initialValues={{ type: 'other', total_budget: 0 }}
          style={{ display: step === 1 ? undefined : 'none', maxWidth: 760 }}
          data-testid="wizard-basics"
        >
          <ProjectBasicsFields
            variant="wizard"
            check={check}
            renderName={
              rule
                ? (input) => (
                    <NameBuilder
                      convention={rule}
                      periodValues={periodValues.data ?? NO_VALUES}
                      checkedParts={checkedParts}
                      input={input}
                    />
                  )
                : undefined
            }
          />
        </Form>

        {step === 2 ? (
          <Flex vertical gap={12} style={{ maxWidth: 860 }} data-testid="wizard-goals">
            <Typography.Text type="secondary">{t('projects.wizard.goalsHint')}</Typography.Text>
            {goals.error ? <ProblemAlert error={goals.error} /> : null}
            <Select
              mode="multiple"
              showSearch
              optionFilterProp="title"
              loading={goals.isPending}
              placeholder={t('projects.wizard.pickGoals')}
              value={links.map((l) => l.objective_id)}
              onChange={(ids: string[]) =>
                setLinks(ids.map((id) => links.find((l) => l.objective_id === id) ?? { objective_id: id }))
              }
              options={options.map((o) => ({
                value: o.value,
                title: o.label,
                label: <span style={{ paddingInlineStart: o.depth * 16 }}>{o.label}</span>,
              }))}
              optionLabelProp="title"
              style={{ width: '100%' }}
              data-testid="goal-links-select"
            />
            {links.map((link) => (
              <GoalLinkRow
                key={link.objective_id}
                link={link}
                title={titleOf(link.objective_id)}
                onChange={(keyResultId) =>
                  setLinks(
                    links.map((l) => (l.objective_id === link.objective_id ? { ...l, key_result_id: keyResultId } : l)),
                  )
                }
              />
            ))}
            {links.length === 0 ? (
              <Alert type="info" showIcon message={t('projects.wizard.noGoalsYet')} data-testid="wizard-no-goals" />
            ) : null}
          </Flex>
        ) : null}

        {step === 3 ? (
          <div data-testid="wizard-review">
            {create.error && !namingProblem(create.error) && !isDuplicateName(create.error) ? (
              <ProblemAlert error={create.error} />
            ) : null}
            <Descriptions bordered column={{ xs: 1, md: 2 }} size="middle">
              <Descriptions.Item label={t('projects.fields.name')} span={2}>
                <Typography.Text strong data-testid="review-name">
                  {values.name}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('projects.wizard.template')}>
                {chosen ? chosen.name : t('projects.wizard.blank')}
              </Descriptions.Item>
              <Descriptions.Item label={t('projects.fields.type')}>
                {values.type ? t(`projects.types.${values.type}`) : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('projects.fields.dates')}>
                {values.dates
                  ? `${formatDay(values.dates[0].format('YYYY-MM-DD'), locale)} – ${formatDay(values.dates[1].format('YYYY-MM-DD'), locale)}`
                  : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('projects.fields.budget')}>
                <span data-testid="review-budget">
                  {formatMoney(String(values.total_budget ?? 0), me.org.currency || 'CNY', locale)}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label={t('projects.fields.period')}>{periodName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('projects.fields.team')}>{teamName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('projects.detail.goalLinks')} span={2}>
                {links.length === 0 ? (
                  <Typography.Text type="warning">{t('projects.wizard.noGoalsYet')}</Typography.Text>
                ) : (
                  <Flex vertical gap={4} data-testid="review-goals">
                    {links.map((l) => (
                      <span key={l.objective_id}>
                        <FlagOutlined /> {titleOf(l.objective_id)}
                        {krName(l.key_result_id) ? ` · ${krName(l.key_result_id)}` : ''}
                      </span>
                    ))}
                  </Flex>
                )}
              </Descriptions.Item>
              {chosen ? (
                <Descriptions.Item label={t('projects.wizard.willCreate')} span={2}>
                  {t('projects.wizard.templateSummary', {
                    days: chosen.duration_days,
                    phases: chosen.phases.length,
                    tasks: chosen.phases.reduce((n, p) => n + p.tasks.length, 0),
                  })}
                  {chosen.budget_categories.length > 0
                    ? ` · ${t('projects.wizard.budgetCategories', { categories: chosen.budget_categories.join('、') })}`
                    : ''}
                </Descriptions.Item>
              ) : null}
            </Descriptions>
          </div>
        ) : null}

        <Flex justify="space-between" style={{ marginTop: 24 }}>
          <Button
            onClick={() => (step === 0 ? void navigate(paths.modules.projects) : setStep(step - 1))}
            data-testid="wizard-prev"
          >
            {step === 0 ? t('common.cancel') : t('projects.wizard.prev')}
          </Button>
          {step < 3 ? (
            <Button type="primary" onClick={() => void next()} data-testid="wizard-next">
              {t('projects.wizard.next')}
            </Button>
          ) : (
            <Button type="primary" loading={create.isPending} onClick={submit} data-testid="wizard-create">
              {t('projects.wizard.create')}
            </Button>
          )}
        </Flex>
      </Card>
    </>
  );
}
