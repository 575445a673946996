import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { DisplayLocale } from '@/lib/format';
import { memberDirectoryQuery } from './api';

/** The UI language in the form the number and date formatters take. */
export function useDisplayLocale(): DisplayLocale {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

/** Active members as picker options, by name. */
export function useMemberOptions() {
  const members = useQuery(memberDirectoryQuery);
  return useMemo(
    () =>
      (members.data ?? [])
        .filter((m) => m.is_active)
        .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
        .map((m) => ({ value: m.id, label: m.name })),
    [members.data],
  );
}
