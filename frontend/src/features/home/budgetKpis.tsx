import { AlertOutlined, FundOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LEVEL_COLORS } from '@/lib/budgetLevels';
import { formatDecimal } from '@/lib/format';
import { useSession } from '@/lib/session';
import { overspendQuery, transparencyQuery } from './api';
import type { Kpi } from './components';
import { transparencyShare } from './overspend';

/**
 * Finance's and the directors' budget figures: how many running projects are past a threshold,
 * and this year's budget transparency against its target (red below it).
 */
export function useBudgetKpis(enabled: boolean): Kpi[] {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const me = useSession();
  const overspend = useQuery({ ...overspendQuery(false), enabled });
  const transparency = useQuery({ ...transparencyQuery, enabled });
  if (!enabled) return [];
  const share = transparency.data ? transparencyShare(transparency.data, me.org.currency || 'CNY') : undefined;
  const target = transparency.data ? formatDecimal(transparency.data.target_percent, locale, 1) : '';
  const over = overspend.isError ? '—' : overspend.data?.length;
  return [
    {
      key: 'overspend',
      title: t('home.overspend.kpi'),
      value: over,
      icon: <AlertOutlined />,
      color: typeof over === 'number' && over > 0 ? LEVEL_COLORS.critical : undefined,
    },
    {
      key: 'transparency',
      title: t('home.transparency.kpi'),
      value: transparency.isError || share === null ? '—' : share && formatDecimal(share.share, locale, 1),
      suffix: transparency.data ? (
        <span style={{ fontSize: 14 }}>
          {share ? '% ' : ''}
          {t('home.transparency.target', { target })}
        </span>
      ) : undefined,
      icon: <FundOutlined />,
      color: share?.below ? LEVEL_COLORS.critical : undefined,
    },
  ];
}
