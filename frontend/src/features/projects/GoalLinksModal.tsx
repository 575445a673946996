import { useQuery } from '@tanstack/react-query';
import { App, Modal, Select } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '@/components/ProblemAlert';
import { goalsQuery, periodsQuery, useSetGoalLinks, type ProjectDetail } from './api';
import { goalOptions, goalPeriodIds } from './model';

/** Replaces the goals the project works towards (key results already chosen are kept). */
export function GoalLinksModal({
  project,
  open,
  onClose,
}: {
  project: ProjectDetail;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const periods = useQuery(periodsQuery);
  const periodIds = useMemo(
    () => goalPeriodIds(periods.data ?? [], project.period_id),
    [periods.data, project.period_id],
  );
  const goals = useQuery({ ...goalsQuery(periodIds), enabled: open && !periods.isPending });
  const options = useMemo(() => goalOptions(goals.data ?? []), [goals.data]);
  const [ids, setIds] = useState(() => project.goal_links.map((l) => l.objective_id));
  const save = useSetGoalLinks(project.id);

  return (
    <Modal
      open={open}
      title={t('projects.detail.editGoalLinks')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onCancel={onClose}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'goal-links-save' }}
      onOk={() =>
        save.mutate(
          {
            version: project.version,
            goal_links: ids.map((id) => ({
              objective_id: id,
              key_result_id: project.goal_links.find((l) => l.objective_id === id)?.key_result_id ?? null,
            })),
          },
          {
            onSuccess: () => {
              void message.success(t('projects.detail.goalLinksSaved'));
              onClose();
            },
          },
        )
      }
    >
      {save.error ? <ProblemAlert error={save.error} /> : null}
      {goals.error ? <ProblemAlert error={goals.error} /> : null}
      <Select
        mode="multiple"
        showSearch
        optionFilterProp="title"
        optionLabelProp="title"
        loading={goals.isPending}
        placeholder={t('projects.wizard.pickGoals')}
        value={ids}
        onChange={setIds}
        options={options.map((o) => ({
          value: o.value,
          title: o.label,
          label: <span style={{ paddingInlineStart: o.depth * 16 }}>{o.label}</span>,
        }))}
        style={{ width: '100%' }}
        data-testid="goal-links-edit-select"
      />
    </Modal>
  );
}
