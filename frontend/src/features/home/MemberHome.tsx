import { CheckCircleOutlined, ClockCircleOutlined, ScheduleOutlined } from '@ant-design/icons';
import { Card, Col, Progress, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '@/components/PageHeader';
import { useSession } from '@/lib/session';
import { EmptyPanel, KpiRow } from './components';

/** Frontline people need their tasks, reminders and progress bars first. */
export function MemberHome() {
  const { t } = useTranslation();
  const me = useSession();
  return (
    <>
      <PageHeader
        title={t('home.member.title')}
        subtitle={`${t('home.greeting', { name: me.user.name })} · ${t('home.member.subtitle')}`}
        testId="home-member"
      />
      <KpiRow
        items={[
          { key: 'today', title: t('home.member.today'), icon: <ScheduleOutlined /> },
          { key: 'overdue', title: t('home.member.overdue'), icon: <ClockCircleOutlined /> },
          { key: 'done', title: t('home.member.doneThisWeek'), icon: <CheckCircleOutlined /> },
        ]}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <EmptyPanel title={t('home.member.tasks')} description={t('home.member.tasksEmpty')} testId="panel-tasks" />
        </Col>
        <Col xs={24} xl={8}>
          <Card title={t('home.member.progress')} variant="borderless" style={{ marginBottom: 16 }}>
            <Progress percent={0} status="normal" />
          </Card>
          <EmptyPanel
            title={t('home.member.checkIn')}
            description={t('home.member.checkInEmpty')}
            testId="panel-check-in"
            fill={false}
          />
        </Col>
        <Col xs={24}>
          <EmptyPanel
            title={t('home.member.reminders')}
            description={t('home.member.remindersEmpty')}
            testId="panel-reminders"
          />
        </Col>
      </Row>
    </>
  );
}
