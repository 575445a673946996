import { Flex, Spin } from 'antd';
import { useTranslation } from 'react-i18next';

/** Shown while a page's code is being downloaded (every feature page loads lazily). */
export function PageFallback() {
  const { t } = useTranslation();
  return (
    <Flex justify="center" align="center" style={{ padding: 48 }} data-testid="page-loading">
      <Spin aria-label={t('common.loading')} />
    </Flex>
  );
}
