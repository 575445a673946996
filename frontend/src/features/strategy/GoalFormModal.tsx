import { useQuery } from '@tanstack/react-query';
import { App, Col, Flex, Form, Input, InputNumber, Radio, Row, Select } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from '@/components/FormModal';
import { periodGoalsQuery, useCreateGoal, useUpdateGoal, type Goal, type GoalLevel, type Period } from './api';
import { GoalSelect, OwnerSelect, TeamSelect } from './fields';
import { useServerFieldErrors } from './hooks';
import { GOAL_LEVELS, childLevel, orderPeriods, subtreeIds, trimDecimal } from './model';

export type GoalDialog = { mode: 'create'; periodId: string; parent: Goal | null } | { mode: 'edit'; goal: Goal };

interface FormValues {
  period_id: string;
  parent_id: string | null;
  level: GoalLevel;
  title: string;
  description?: string | null;
  /** A goal is owned by a person or by a team. */
  owner_kind: 'member' | 'team';
  owner_member_id: string | null;
  owner_team_id: string | null;
  weight: string | number;
}

const FIELDS = [
  'period_id',
  'parent_id',
  'level',
  'title',
  'description',
  'owner_member_id',
  'owner_team_id',
  'weight',
] as const;

interface GoalFormModalProps {
  dialog: GoalDialog;
  periods: readonly Period[];
  open: boolean;
  onClose: () => void;
  afterClose: () => void;
}

/** Adds a goal (top-level or under another) or edits one, including moving it in the tree. */
export function GoalFormModal({ dialog, periods, open, onClose, afterClose }: GoalFormModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const create = useCreateGoal();
  const update = useUpdateGoal();
  const mutation = dialog.mode === 'create' ? create : update;
  const serverErrors = useServerFieldErrors(form, FIELDS);
  const editing = dialog.mode === 'edit' ? dialog.goal : null;

  const initialValues: FormValues = editing
    ? {
        period_id: editing.period_id,
        parent_id: editing.parent_id,
        level: editing.level,
        title: editing.title,
        description: editing.description,
        owner_kind: editing.owner_team_id ? 'team' : 'member',
        owner_member_id: editing.owner_member_id,
        owner_team_id: editing.owner_team_id,
        weight: trimDecimal(editing.weight),
      }
    : {
        period_id: dialog.mode === 'create' ? dialog.periodId : '',
        parent_id: dialog.mode === 'create' ? (dialog.parent?.id ?? null) : null,
        level: childLevel(dialog.mode === 'create' ? dialog.parent?.level : null),
        title: '',
        owner_kind: 'member',
        owner_member_id: null,
        owner_team_id: null,
        weight: '1',
      };

  const periodId = Form.useWatch('period_id', form) ?? initialValues.period_id;
  const ownerKind = Form.useWatch('owner_kind', form) ?? initialValues.owner_kind;
  const periodGoals = useQuery({ ...periodGoalsQuery(editing?.period_id ?? ''), enabled: !!editing });
  const exclude = useMemo(
    () => (editing ? subtreeIds(periodGoals.data ?? [], editing.id) : undefined),
    [editing, periodGoals.data],
  );

  const submit = (values: FormValues) => {
    serverErrors.reset();
    const common = {
      parent_id: values.parent_id ?? null,
      level: values.level,
      title: values.title.trim(),
      description: values.description?.trim() || null,
      // One owner: the person or the team chosen, the other cleared.
      owner_member_id: values.owner_kind === 'member' ? (values.owner_member_id ?? null) : null,
      owner_team_id: values.owner_kind === 'team' ? (values.owner_team_id ?? null) : null,
      weight: String(values.weight),
    };
    const onError = (error: unknown) => serverErrors.apply(error);
    if (editing) {
      update.mutate(
        { id: editing.id, body: { ...common, version: editing.version } },
        {
          onSuccess: () => {
            void message.success(t('strategy.goal.updated'));
            onClose();
          },
          onError,
        },
      );
    } else {
      create.mutate(
        { ...common, period_id: values.period_id },
        {
          onSuccess: () => {
            void message.success(t('strategy.goal.created'));
            onClose();
          },
          onError,
        },
      );
    }
  };

  return (
    <FormModal<FormValues>
      form={form}
      open={open}
      width={620}
      title={t(
        editing
          ? 'strategy.goal.editTitle'
          : dialog.mode === 'create' && dialog.parent
            ? 'strategy.goal.addChildTitle'
            : 'strategy.goal.addTitle',
      )}
      okText={editing ? t('common.save') : t('common.create')}
      onSubmit={submit}
      onCancel={onClose}
      afterClose={afterClose}
      pending={mutation.isPending}
      // A failure the fields show is not repeated above them.
      error={serverErrors.onFields ? null : mutation.error}
      submitTestId="goal-submit"
      formTestId="goal-form"
      initialValues={initialValues}
      onValuesChange={(changed: Partial<FormValues>) => {
        // A parent from another period is not allowed: choosing a period starts over.
        if ('period_id' in changed) form.setFieldValue('parent_id', null);
      }}
    >
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item
            name="period_id"
            label={t('strategy.goal.period')}
            rules={[{ required: true, message: t('strategy.goal.periodRequired') }]}
          >
            <Select
              disabled={!!editing}
              options={orderPeriods(periods).map(({ period, depth }) => ({
                value: period.id,
                label: `${depth ? '　' : ''}${period.name}`,
              }))}
              data-testid="goal-period"
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="parent_id" label={t('strategy.goal.parent')}>
            <GoalSelect
              periodId={periodId}
              exclude={exclude}
              allowClear
              placeholder={t('strategy.goal.parentNone')}
              testId="goal-parent"
            />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item
        name="title"
        label={t('strategy.goal.title')}
        rules={[{ required: true, whitespace: true, message: t('strategy.goal.titleRequired') }]}
      >
        <Input maxLength={200} placeholder={t('strategy.goal.titlePlaceholder')} data-testid="goal-title-input" />
      </Form.Item>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="level" label={t('strategy.goal.level')} rules={[{ required: true }]}>
            <Select
              options={GOAL_LEVELS.map((level) => ({ value: level, label: t(`strategy.levels.${level}`) }))}
              data-testid="goal-level-select"
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="weight"
            label={t('strategy.weight')}
            tooltip={t('strategy.weightHelp')}
            rules={[{ required: true, message: t('strategy.weightRequired') }]}
          >
            <InputNumber<string> stringMode min="0" step="1" style={{ width: '100%' }} data-testid="goal-weight" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label={t('strategy.owner')} required={false} style={{ marginBottom: 0 }}>
        <Flex gap={12} align="flex-start" wrap>
          <Form.Item name="owner_kind" noStyle>
            <Radio.Group optionType="button" data-testid="goal-owner-kind">
              <Radio.Button value="member" data-testid="goal-owner-kind-member">
                {t('strategy.ownerMember')}
              </Radio.Button>
              <Radio.Button value="team" data-testid="goal-owner-kind-team">
                {t('strategy.ownerTeam')}
              </Radio.Button>
            </Radio.Group>
          </Form.Item>
          <div style={{ flex: '1 1 240px', minWidth: 0 }}>
            {ownerKind === 'team' ? (
              <Form.Item name="owner_team_id">
                <TeamSelect testId="goal-owner-team-select" />
              </Form.Item>
            ) : (
              <Form.Item name="owner_member_id">
                <OwnerSelect testId="goal-owner-select" />
              </Form.Item>
            )}
          </div>
        </Flex>
      </Form.Item>
      <Form.Item name="description" label={t('strategy.goal.description')}>
        <Input.TextArea rows={3} maxLength={5000} data-testid="goal-description" />
      </Form.Item>
    </FormModal>
  );
}
