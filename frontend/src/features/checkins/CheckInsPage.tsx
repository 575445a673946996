import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Flex,
  List,
  Progress,
  Row,
  Select,
  Skeleton,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { formatDay, todayIn, type DisplayLocale } from '@/lib/format';
import { hasPermission } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import { everyonesQuery, HISTORY_PAGE, myHistoryQuery, rollCallQuery, type CheckIn, type TeamRollCall } from './api';
import { shiftDay, turnout } from './model';
import { CheckInCard } from './TodayCheckInCard';

type TabKey = 'mine' | 'team' | 'everyone';

function CheckInItem({ checkin, showName }: { checkin: CheckIn; showName: boolean }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  return (
    <List.Item style={{ paddingInline: 0 }} data-testid="checkin-item">
      <Flex vertical gap={4} style={{ width: '100%' }}>
        <Flex gap={8} align="baseline" wrap>
          <Typography.Text strong>{showName ? checkin.member_name : formatDay(checkin.day, locale)}</Typography.Text>
          {checkin.task_updates.length ? (
            <Tag>{t('checkins.card.tasksUpdated', { count: checkin.task_updates.length })}</Tag>
          ) : null}
          {checkin.blockers ? <Tag color="red">{t('checkins.hasBlockers')}</Tag> : null}
        </Flex>
        <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>
          <Typography.Text type="secondary">{t('checkins.fields.done')}：</Typography.Text>
          {checkin.done}
        </Typography.Paragraph>
        {checkin.next ? (
          <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>
            <Typography.Text type="secondary">{t('checkins.fields.next')}：</Typography.Text>
            {checkin.next}
          </Typography.Paragraph>
        ) : null}
        {checkin.blockers ? (
          <Typography.Paragraph type="danger" style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>
            {t('checkins.fields.blockers')}：{checkin.blockers}
          </Typography.Paragraph>
        ) : null}
      </Flex>
    </List.Item>
  );
}

function MyHistory() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const history = useQuery(myHistoryQuery(undefined, undefined, (page - 1) * HISTORY_PAGE));
  return (
    <Card title={t('checkins.history')} data-testid="checkin-history">
      {history.isError ? <ProblemAlert error={history.error} onRetry={() => void history.refetch()} /> : null}
      <List
        loading={history.isPending}
        dataSource={history.data?.items ?? []}
        locale={{ emptyText: t('checkins.historyEmpty') }}
        renderItem={(c) => <CheckInItem key={c.id} checkin={c} showName={false} />}
        pagination={
          (history.data?.total ?? 0) > HISTORY_PAGE
            ? {
                current: page,
                pageSize: HISTORY_PAGE,
                total: history.data?.total ?? 0,
                onChange: setPage,
                size: 'small',
              }
            : false
        }
      />
    </Card>
  );
}

function DayPicker({ day, today, onChange }: { day: string; today: string; onChange: (day: string) => void }) {
  const { t } = useTranslation();
  return (
    <Flex gap={4} align="center">
      <Button
        icon={<LeftOutlined />}
        aria-label={t('checkins.dayBefore')}
        onClick={() => onChange(shiftDay(day, -1))}
        data-testid="day-before"
      />
      <DatePicker
        value={dayjs(day)}
        allowClear={false}
        disabledDate={(d) => d.format('YYYY-MM-DD') > today}
        onChange={(d) => onChange(d.format('YYYY-MM-DD'))}
        data-testid="day-picker"
      />
      <Button
        icon={<RightOutlined />}
        aria-label={t('checkins.dayAfter')}
        disabled={day >= today}
        onClick={() => onChange(shiftDay(day, 1))}
        data-testid="day-after"
      />
    </Flex>
  );
}

function TeamCard({ team }: { team: TeamRollCall }) {
  const { t } = useTranslation();
  const done = team.checked_in.length;
  const missing = team.not_checked_in.length;
  return (
    <Card
      size="small"
      title={team.team_name}
      extra={t('checkins.rollCall.count', { done, total: done + missing })}
      data-testid="rollcall-team"
    >
      <Progress percent={turnout(done, missing)} size="small" status={missing === 0 ? 'success' : 'normal'} />
      <Flex vertical gap={8} style={{ marginTop: 8 }}>
        <div>
          <Typography.Text type="secondary">{t('checkins.rollCall.checkedIn')}</Typography.Text>
          <Flex gap={4} wrap style={{ marginTop: 4 }} data-testid="rollcall-checked-in">
            {team.checked_in.length ? (
              team.checked_in.map((p) => (
                <Tag key={p.member_id} color="green">
                  {p.name}
                </Tag>
              ))
            ) : (
              <Typography.Text type="secondary">—</Typography.Text>
            )}
          </Flex>
        </div>
        <div>
          <Typography.Text type="secondary">{t('checkins.rollCall.notCheckedIn')}</Typography.Text>
          <Flex gap={4} wrap style={{ marginTop: 4 }} data-testid="rollcall-missing">
            {team.not_checked_in.length ? (
              team.not_checked_in.map((p) => (
                <Tag key={p.member_id} color="orange">
                  {p.name}
                </Tag>
              ))
            ) : (
              <Typography.Text type="secondary">{t('checkins.rollCall.everyone')}</Typography.Text>
            )}
          </Flex>
        </div>
      </Flex>
    </Card>
  );
}

function RollCall({ day }: { day: string }) {
  const { t } = useTranslation();
  const rollCall = useQuery(rollCallQuery(day));
  if (rollCall.isPending) return <Skeleton active />;
  if (rollCall.isError) return <ProblemAlert error={rollCall.error} onRetry={() => void rollCall.refetch()} />;
  if (!rollCall.data.teams.length)
    return <Empty description={t('checkins.rollCall.noTeams')} data-testid="rollcall-empty" />;
  return (
    <Row gutter={[16, 16]}>
      {rollCall.data.teams.map((team) => (
        <Col key={team.team_id} xs={24} md={12} xl={8}>
          <TeamCard team={team} />
        </Col>
      ))}
    </Row>
  );
}

function Everyone({ day }: { day: string }) {
  const { t } = useTranslation();
  const [teamId, setTeamId] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const teams = useQuery(rollCallQuery(day));
  const list = useQuery(everyonesQuery(day, teamId, (page - 1) * HISTORY_PAGE));
  return (
    <Flex vertical gap={12}>
      <Select
        allowClear
        style={{ maxWidth: 280 }}
        placeholder={t('checkins.allTeams')}
        value={teamId}
        onChange={(value?: string) => {
          setTeamId(value);
          setPage(1);
        }}
        options={(teams.data?.teams ?? []).map((team) => ({ value: team.team_id, label: team.team_name }))}
        data-testid="everyone-team"
      />
      {list.isError ? <ProblemAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      <List
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('checkins.everyoneEmpty') }}
        renderItem={(c) => <CheckInItem key={c.id} checkin={c} showName />}
        pagination={
          (list.data?.total ?? 0) > HISTORY_PAGE
            ? { current: page, pageSize: HISTORY_PAGE, total: list.data?.total ?? 0, onChange: setPage, size: 'small' }
            : false
        }
        data-testid="everyone-list"
      />
    </Flex>
  );
}

/** 每日打卡: my check-in and its history, my teams' roll-call, and (planners) everyone's check-ins. */
export function CheckInsPage() {
  const { t } = useTranslation();
  const me = useSession();
  const today = todayIn(me.org.timezone);
  const readsAll = hasPermission(me, 'checkins:read_all');
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab') as TabKey | null;
  const tab: TabKey = requested === 'team' || (requested === 'everyone' && readsAll) ? requested : 'mine';
  const day = params.get('day') ?? today;
  const set = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) next.set(k, v);
    setParams(next, { replace: true });
  };
  const picker = <DayPicker day={day} today={today} onChange={(d) => set({ day: d })} />;
  const items = [
    {
      key: 'mine',
      label: t('checkins.tabs.mine'),
      children: (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={12}>
            <CheckInCard day="today" />
          </Col>
          <Col xs={24} xl={12}>
            <MyHistory />
          </Col>
        </Row>
      ),
    },
    {
      key: 'team',
      label: t('checkins.tabs.team'),
      children: (
        <Flex vertical gap={16}>
          {picker}
          <RollCall day={day} />
        </Flex>
      ),
    },
    ...(readsAll
      ? [
          {
            key: 'everyone',
            label: t('checkins.tabs.everyone'),
            children: (
              <Flex vertical gap={16}>
                {picker}
                <Everyone key={day} day={day} />
              </Flex>
            ),
          },
        ]
      : []),
  ];
  return (
    <>
      <PageHeader title={t('checkins.title')} subtitle={t('checkins.subtitle')} testId="checkins-page" />
      <Tabs activeKey={tab} onChange={(key) => set({ tab: key })} items={items} data-testid="checkins-tabs" />
    </>
  );
}
