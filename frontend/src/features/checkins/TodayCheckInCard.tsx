import { CheckCircleFilled, EditOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Flex, Form, Input, InputNumber, Select, Skeleton, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '@/components/ProblemAlert';
import { formatDay, type DisplayLocale } from '@/lib/format';
import { applyFieldErrors } from '@/lib/formErrors';
import { myDayQuery, usePutCheckIn, type CheckIn, type MyDay, type OwnTask } from './api';
import { checkInBody, initialValues, OWN_STATUSES, type CheckInValues } from './model';

const TEXT_FIELDS = ['done', 'next', 'blockers'] as const;

function Summary({ checkin }: { checkin: CheckIn }) {
  const { t } = useTranslation();
  const rows: [string, string | null][] = [
    [t('checkins.fields.done'), checkin.done],
    [t('checkins.fields.next'), checkin.next],
    [t('checkins.fields.blockers'), checkin.blockers],
  ];
  return (
    <Flex vertical gap={8} data-testid="checkin-summary">
      {rows
        .filter(([, text]) => text)
        .map(([label, text]) => (
          <div key={label}>
            <Typography.Text type="secondary">{label}</Typography.Text>
            <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>{text}</Typography.Paragraph>
          </div>
        ))}
      {checkin.task_updates.length ? (
        <Typography.Text type="secondary" data-testid="checkin-summary-tasks">
          {t('checkins.card.tasksUpdated', { count: checkin.task_updates.length })}
        </Typography.Text>
      ) : null}
    </Flex>
  );
}

function TaskRow({ task, locale }: { task: OwnTask; locale: DisplayLocale }) {
  const { t } = useTranslation();
  return (
    <Flex justify="space-between" align="center" gap={8} wrap data-testid="checkin-task">
      <Flex vertical style={{ flex: '1 1 200px', minWidth: 0 }}>
        <Typography.Text ellipsis>{task.title}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('checkins.card.due', { date: formatDay(task.due_on, locale) })}
        </Typography.Text>
      </Flex>
      <Flex gap={8} align="center">
        <Form.Item name={['tasks', task.id, 'progress']} noStyle>
          <InputNumber
            min={0}
            max={100}
            step={10}
            precision={0}
            suffix="%"
            style={{ width: 110 }}
            aria-label={t('checkins.card.progressOf', { title: task.title })}
            data-testid="checkin-task-progress"
          />
        </Form.Item>
        <Form.Item name={['tasks', task.id, 'status']} noStyle>
          <Select
            style={{ width: 110 }}
            aria-label={t('checkins.card.statusOf', { title: task.title })}
            options={OWN_STATUSES.map((s) => ({ value: s, label: t(`checkins.taskStatus.${s}`) }))}
            data-testid="checkin-task-status"
          />
        </Form.Item>
      </Flex>
    </Flex>
  );
}

function CheckInForm({ day, data, onDone }: { day: string; data: MyDay; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const locale = i18n.language as DisplayLocale;
  const [form] = Form.useForm<CheckInValues>();
  const put = usePutCheckIn();
  // The promise, not mutate()'s callbacks: saving refetches the day, which shows the summary
  // and unmounts this form, and TanStack Query drops the callbacks of an unmounted caller, so
  // the "saved" message would sometimes never show.
  const submit = (values: CheckInValues) => {
    void put.mutateAsync({ day, body: checkInBody(values, data.tasks, data.checkin?.version) }).then(
      () => {
        void message.success(t('checkins.card.saved'));
        onDone();
      },
      (error: unknown) => void applyFieldErrors(form, error, { fields: TEXT_FIELDS }),
    );
  };
  return (
    <Form<CheckInValues>
      form={form}
      layout="vertical"
      initialValues={initialValues(data.checkin, data.tasks)}
      onFinish={submit}
      data-testid="checkin-form"
    >
      {put.error ? <ProblemAlert error={put.error} /> : null}
      <Form.Item
        name="done"
        label={t('checkins.fields.done')}
        rules={[{ required: true, whitespace: true, message: t('checkins.card.doneRequired') }]}
      >
        <Input.TextArea
          autoSize={{ minRows: 2, maxRows: 6 }}
          maxLength={5000}
          placeholder={t('checkins.card.donePlaceholder')}
          data-testid="checkin-done"
        />
      </Form.Item>
      <Form.Item name="next" label={t('checkins.fields.next')}>
        <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={5000} data-testid="checkin-next" />
      </Form.Item>
      <Form.Item name="blockers" label={t('checkins.fields.blockers')}>
        <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={5000} data-testid="checkin-blockers" />
      </Form.Item>
      <Typography.Text strong>{t('checkins.card.myTasks')}</Typography.Text>
      <Flex vertical gap={10} style={{ margin: '8px 0 16px' }}>
        {data.tasks.length ? (
          data.tasks.map((task) => <TaskRow key={task.id} task={task} locale={locale} />)
        ) : (
          <Typography.Text type="secondary" data-testid="checkin-no-tasks">
            {t('checkins.card.noTasks')}
          </Typography.Text>
        )}
      </Flex>
      <Flex gap={8} justify="flex-end">
        {data.checkin ? <Button onClick={onDone}>{t('common.cancel')}</Button> : null}
        <Button type="primary" htmlType="submit" loading={put.isPending} data-testid="checkin-submit">
          {data.checkin ? t('checkins.card.update') : t('checkins.card.submit')}
        </Button>
      </Flex>
    </Form>
  );
}

/** One day's check-in of the caller: the form, or what was checked in with a way to change it. */
export function CheckInCard({ day, title }: { day: string; title?: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const query = useQuery(myDayQuery(day));
  const [editing, setEditing] = useState(false);
  const data = query.data;
  const made = Boolean(data?.checkin);
  return (
    <Card
      title={title ?? t('checkins.card.title')}
      data-testid="checkin-card"
      extra={
        data ? (
          <Flex gap={8} align="center">
            <Typography.Text type="secondary">{formatDay(data.day, locale)}</Typography.Text>
            {made ? (
              <Tag color="green" icon={<CheckCircleFilled />} data-testid="checkin-state">
                {t('checkins.card.done')}
              </Tag>
            ) : (
              <Tag color="orange" data-testid="checkin-state">
                {t('checkins.card.notYet')}
              </Tag>
            )}
          </Flex>
        ) : null
      }
    >
      {query.isPending ? <Skeleton active /> : null}
      {query.isError ? <ProblemAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      {data && data.checkin && !editing ? (
        <Flex vertical gap={12}>
          <Summary checkin={data.checkin} />
          {data.editable ? (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="checkin-edit">
              {t('checkins.card.edit')}
            </Button>
          ) : null}
        </Flex>
      ) : null}
      {data && (!data.checkin || editing) ? (
        data.editable ? (
          <CheckInForm
            key={`${data.day}-${data.checkin?.version ?? 0}`}
            day={data.day}
            data={data}
            onDone={() => setEditing(false)}
          />
        ) : (
          <Typography.Text type="secondary" data-testid="checkin-closed">
            {t('checkins.card.closed')}
          </Typography.Text>
        )
      ) : null}
    </Card>
  );
}

/** 今日打卡, for the member's home page: today's check-in and the person's open tasks. */
export function TodayCheckInCard() {
  return <CheckInCard day="today" />;
}
