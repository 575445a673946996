import { useTranslation } from 'react-i18next';
import type { ProjectFinanceProps } from '@/lib/financePanels';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import { ACCEPTS_COSTS } from './model';

/** Whether the signed-in person may record costs on this project now, and if not, why not. */
export function useRecordRight(
  project: ProjectFinanceProps['project'],
  mayManage: boolean,
): { visible: boolean; refusal?: string } {
  const me = useSession();
  const { t } = useTranslation();
  // The server's rule: finance (who verifies) on any project, the others on the ones they manage.
  const visible =
    hasPermission(me, PERMISSIONS.costsRecord) && (hasPermission(me, PERMISSIONS.costsVerify) || mayManage);
  if (!visible) return { visible };
  if (!ACCEPTS_COSTS.includes(project.status)) {
    return {
      visible,
      refusal: t('finance.record.notAccepted', { status: t(`projects.status.${project.status}`) }),
    };
  }
  return { visible };
}
