import { EyeOutlined, FundOutlined, ProjectOutlined, RiseOutlined } from '@ant-design/icons';
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '@/components/PageHeader';
import { useSession } from '@/lib/session';
import { EmptyPanel, KpiRow } from './components';

export function ViewerHome() {
  const { t } = useTranslation();
  const me = useSession();
  return (
    <>
      <PageHeader
        title={t('home.viewer.title')}
        subtitle={`${t('home.greeting', { name: me.user.name })} · ${t('home.viewer.subtitle')}`}
        testId="home-viewer"
      />
      <Alert
        type="info"
        showIcon
        icon={<EyeOutlined />}
        message={t('home.viewer.readOnly')}
        style={{ marginBottom: 16 }}
      />
      <KpiRow
        items={[
          { key: 'projects', title: t('home.viewer.projects'), icon: <ProjectOutlined /> },
          { key: 'spend', title: t('home.viewer.spend'), icon: <FundOutlined /> },
          { key: 'roi', title: t('home.viewer.roi'), icon: <RiseOutlined /> },
        ]}
      />
      <EmptyPanel
        title={t('home.viewer.dashboards')}
        description={t('home.viewer.dashboardsEmpty')}
        testId="panel-dashboards"
        fill={false}
      />
    </>
  );
}
