import { useTranslation } from 'react-i18next';
import type { DisplayLocale } from '@/lib/format';

/** The UI language in the form the number and date formatters take. */
export function useDisplayLocale(): DisplayLocale {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}
