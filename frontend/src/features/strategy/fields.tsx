import { useQuery } from '@tanstack/react-query';
import { Select, Tag, TreeSelect } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { periodGoalsQuery } from './api';
import { useMemberDirectory, useTeamDirectory } from './hooks';
import { LEVEL_COLORS, buildForest, type GoalBranch } from './model';

interface OwnerSelectProps {
  value?: string | null;
  onChange?: (value: string | null) => void;
  testId?: string;
}

/** A person of the organisation, searchable by name or e-mail. */
export function OwnerSelect({ value, onChange, testId }: OwnerSelectProps) {
  const { t } = useTranslation();
  const { options, loading } = useMemberDirectory();
  return (
    <Select
      value={value ?? undefined}
      onChange={(next: string | undefined) => onChange?.(next ?? null)}
      showSearch
      allowClear
      loading={loading}
      placeholder={t('strategy.ownerPlaceholder')}
      options={options}
      filterOption={(input, option) => {
        const q = input.trim().toLowerCase();
        return !!option && (option.label.toLowerCase().includes(q) || option.email.toLowerCase().includes(q));
      }}
      data-testid={testId}
    />
  );
}

/** A team of the organisation, searchable by name. */
export function TeamSelect({ value, onChange, testId }: OwnerSelectProps) {
  const { t } = useTranslation();
  const { options, loading } = useTeamDirectory();
  return (
    <Select
      value={value ?? undefined}
      onChange={(next: string | undefined) => onChange?.(next ?? null)}
      showSearch
      allowClear
      loading={loading}
      placeholder={t('strategy.teamPlaceholder')}
      notFoundContent={loading ? undefined : t('strategy.noTeams')}
      options={options}
      optionFilterProp="label"
      data-testid={testId}
    />
  );
}

interface TreeOption {
  value: string;
  title: ReactNode;
  label: string;
  disabled?: boolean;
  children: TreeOption[];
}

interface GoalSelectProps {
  periodId: string | undefined;
  value?: string | null;
  onChange?: (value: string | null) => void;
  /** Goals that may not be chosen (a goal and its own sub-goals, when moving it). */
  exclude?: ReadonlySet<string>;
  placeholder?: string;
  allowClear?: boolean;
  disabled?: boolean;
  testId?: string;
}

/** Picks a goal of one period from its tree (a parent goal, or the goal a KPI measures). */
export function GoalSelect({
  periodId,
  value,
  onChange,
  exclude,
  placeholder,
  allowClear,
  disabled,
  testId,
}: GoalSelectProps) {
  const { t } = useTranslation();
  const goals = useQuery({ ...periodGoalsQuery(periodId ?? ''), enabled: !!periodId });
  const toOption = (branch: GoalBranch): TreeOption => ({
    value: branch.goal.id,
    label: branch.goal.title,
    title: (
      <span>
        <Tag color={LEVEL_COLORS[branch.goal.level]} bordered={false} style={{ marginInlineEnd: 6 }}>
          {t(`strategy.levels.${branch.goal.level}`)}
        </Tag>
        {branch.goal.title}
      </span>
    ),
    disabled: exclude?.has(branch.goal.id),
    children: branch.children.map(toOption),
  });
  return (
    <TreeSelect<string>
      value={value ?? undefined}
      onChange={(next) => onChange?.(next ?? null)}
      treeData={buildForest(goals.data ?? []).map(toOption)}
      treeDefaultExpandAll
      showSearch
      treeNodeFilterProp="label"
      treeNodeLabelProp="label"
      allowClear={allowClear}
      disabled={disabled}
      loading={goals.isPending && !!periodId}
      placeholder={placeholder}
      data-testid={testId}
    />
  );
}
