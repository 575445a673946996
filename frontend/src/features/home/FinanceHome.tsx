import { AccountBookOutlined, FallOutlined, WalletOutlined, WarningOutlined } from '@ant-design/icons';
import { Col, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '@/components/PageHeader';
import { useSession } from '@/lib/session';
import { EmptyPanel, KpiRow } from './components';

/** Finance looks at budgets, the cost ledger and what is over its threshold. */
export function FinanceHome() {
  const { t } = useTranslation();
  const me = useSession();
  return (
    <>
      <PageHeader
        title={t('home.finance.title')}
        subtitle={`${t('home.greeting', { name: me.user.name })} · ${t('home.finance.subtitle')}`}
        testId="home-finance"
      />
      <KpiRow
        items={[
          { key: 'total-budget', title: t('home.finance.totalBudget'), icon: <WalletOutlined /> },
          { key: 'actual-spend', title: t('home.finance.actualSpend'), icon: <AccountBookOutlined /> },
          { key: 'remaining', title: t('home.finance.remaining'), icon: <FallOutlined /> },
          { key: 'overspend-lines', title: t('home.finance.overspendLines'), icon: <WarningOutlined /> },
        ]}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <EmptyPanel
            title={t('home.finance.budgets')}
            description={t('home.finance.budgetsEmpty')}
            testId="panel-budgets"
          />
        </Col>
        <Col xs={24} xl={10}>
          <EmptyPanel
            title={t('home.finance.overspend')}
            description={t('home.finance.overspendEmpty')}
            testId="panel-overspend"
          />
        </Col>
        <Col xs={24}>
          <EmptyPanel
            title={t('home.finance.ledger')}
            description={t('home.finance.ledgerEmpty')}
            testId="panel-ledger"
          />
        </Col>
      </Row>
    </>
  );
}
