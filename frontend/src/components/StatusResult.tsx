import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { paths } from '@/lib/paths';

/** Full-page 403 / 404 with a way back home. */
export function StatusResult({ kind }: { kind: 'forbidden' | 'notFound' }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status={kind === 'forbidden' ? '403' : '404'}
      title={t(kind === 'forbidden' ? 'errors.forbidden' : 'errors.notFound')}
      subTitle={t(kind === 'forbidden' ? 'errors.forbiddenDescription' : 'errors.notFoundDescription')}
      extra={
        <Button type="primary" onClick={() => void navigate(paths.home)}>
          {t('common.backHome')}
        </Button>
      }
    />
  );
}
