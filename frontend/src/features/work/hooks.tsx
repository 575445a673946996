import { App } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { DisplayLocale } from '@/lib/format';
import { useUpdateTask, type MovedTask, type TaskStatus } from './api';
import { MovedList } from './components';
import type { WbsTask } from './model';

/** The UI language in the form the date formatters take. */
export function useLocale(): DisplayLocale {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

/** Shows which tasks a change moved (nothing when none did). */
export function useShowMoved() {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const locale = useLocale();
  return useCallback(
    (moved: readonly MovedTask[]) => {
      if (moved.length === 0) return;
      const milestones = moved.filter((m) => m.milestone).length;
      notification.info({
        key: 'work-moved',
        message: milestones
          ? t('work.moved.titleWithMilestones', { count: moved.length, milestones })
          : t('work.moved.title', { count: moved.length }),
        description: <MovedList moved={moved} locale={locale} />,
        duration: 8,
        placement: 'bottomRight',
        props: { 'data-testid': 'moved-notice' },
      });
    },
    [notification, t, locale],
  );
}

/** Opening a task (?task=id) or a new one (?task=new, ?phase=id). */
export function useTaskParam() {
  const [params, setParams] = useSearchParams();
  const open = (task: string, phase?: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set('task', task);
        if (phase) next.set('phase', phase);
        else next.delete('phase');
        return next;
      },
      { replace: false },
    );
  const close = () =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      next.delete('task');
      next.delete('phase');
      return next;
    });
  return { taskParam: params.get('task'), phaseParam: params.get('phase'), open, close };
}

/** Reports progress on one task from a list or the board: PATCH with the version read. */
export function useQuickProgress(projectId: string) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const update = useUpdateTask(projectId);
  const showMoved = useShowMoved();
  return {
    pending: update.isPending,
    error: update.error,
    set: (task: Pick<WbsTask, 'id' | 'version'>, changes: { progress?: number; status?: TaskStatus }) =>
      update.mutate(
        { taskId: task.id, body: { ...changes, version: task.version } },
        {
          onSuccess: (change) => {
            void message.success(t('work.task.saved'));
            showMoved(change.moved);
          },
        },
      ),
  };
}
