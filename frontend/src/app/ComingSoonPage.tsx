import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '@/components/EmptyState';
import { PageHeader } from '@/components/PageHeader';
import type { ModuleKey } from '@/lib/paths';

/** Placeholder for modules in the menu that are not built yet. */
export function ComingSoonPage({ module }: { module: ModuleKey }) {
  const { t } = useTranslation();
  const name = t(`nav.modules.${module}`);
  return (
    <>
      <PageHeader title={name} testId={`module-${module}`} />
      <Card variant="borderless">
        <EmptyState
          testId="coming-soon"
          title={t('comingSoon.title', { module: name })}
          description={t('comingSoon.description')}
        />
      </Card>
    </>
  );
}
