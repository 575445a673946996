import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Flex,
  Form,
  Input,
  Popconfirm,
  Radio,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '@/api/client';
import { isApiError } from '@/api/errors';
import { ProblemAlert } from '@/components/ProblemAlert';
import { applyFieldErrors } from '@/lib/formErrors';
import { formatDay } from '@/lib/format';
import {
  calendarRows,
  holidayKey,
  holidaysMissing,
  settingsChange,
  WEEKDAYS,
  yearRanges,
  type CalendarRow,
  type WorkCalendar,
} from './calendarModel';

const calendarKey = (year: number) => ['settings', 'calendar', year] as const;

function calendarQuery(year: number) {
  return queryOptions({
    queryKey: calendarKey(year),
    queryFn: () => unwrap(api.GET('/api/v1/calendar', { params: { query: { year } } })),
    placeholderData: keepPreviousData,
  });
}

/** A calendar change reschedules every open plan: the work views refetch too. */
function useCalendarMutation<Vars>(fn: (vars: Vars) => Promise<WorkCalendar>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (calendar) => queryClient.setQueryData(calendarKey(calendar.year), calendar),
    onSettled: () =>
      Promise.all([['settings', 'calendar'], ['work']].map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  });
}

interface DayValues {
  day: Dayjs;
  name: string;
  working: boolean;
}

/** 工作日历: the weekend, China's public holidays, and the organisation's own days off and working days. */
export function WorkCalendarEditor({ canManage }: { canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const [year, setYear] = useState(() => dayjs().year());
  const calendar = useQuery(calendarQuery(year));
  // What the admin has changed and not saved yet (null: the calendar as read).
  const [draft, setDraft] = useState<{ weekend: number[]; china: boolean } | null>(null);
  const [dayForm] = Form.useForm<DayValues>();

  const saveSettings = useCalendarMutation((body: { weekend: number[]; china_holidays: boolean; revision: number }) =>
    unwrap(api.PUT('/api/v1/calendar/settings', { params: { query: { year } }, body })),
  );
  const setDay = useCalendarMutation((values: DayValues) =>
    unwrap(
      api.PUT('/api/v1/calendar/days/{day}', {
        params: { path: { day: values.day.format('YYYY-MM-DD') } },
        body: { working: values.working, name: values.name.trim() },
      }),
    ),
  );
  const removeDay = useCalendarMutation((day: string) =>
    unwrap(api.DELETE('/api/v1/calendar/days/{day}', { params: { path: { day } } })),
  );

  const data = calendar.data;
  const weekend = draft?.weekend ?? data?.weekend ?? [];
  const china = draft?.china ?? data?.china_holidays ?? true;
  const setWeekend = (next: number[]) => setDraft({ weekend: next, china });
  const setChina = (next: boolean) => setDraft({ weekend, china: next });

  const change = data ? settingsChange(data, weekend, china) : null;
  const submitSettings = () => {
    if (!change) return;
    saveSettings.mutate(change, {
      onSuccess: () => {
        setDraft(null);
        void message.success(t('settings.calendar.saved'));
      },
      onError: (error) => {
        if (isApiError(error) && error.status === 409) {
          // The refetch loads the newer calendar; the admin's edit is dropped with it.
          setDraft(null);
          void message.warning(t('settings.calendar.conflict'));
        }
      },
    });
  };
  const addDay = (values: DayValues) =>
    setDay.mutate(values, {
      onSuccess: () => {
        void message.success(t('settings.calendar.dayAdded'));
        dayForm.resetFields(['day', 'name']);
      },
      onError: (error) => applyFieldErrors(dayForm, error, { fields: ['day', 'name', 'working'] }),
    });

  const weekdayName = (d: number) => t(`settings.calendar.weekday.${d}`);
  const columns = [
    {
      key: 'day',
      title: t('settings.calendar.day'),
      render: (_: unknown, row: CalendarRow) => (
        <span>
          {formatDay(row.day, locale)}{' '}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {weekdayName(row.weekday)}
          </Typography.Text>
        </span>
      ),
    },
    {
      key: 'name',
      title: t('settings.calendar.name'),
      render: (_: unknown, row: CalendarRow) => {
        const key = holidayKey(row);
        return key ? t(key, { defaultValue: row.name }) : row.name;
      },
    },
    {
      key: 'working',
      title: t('settings.calendar.kind'),
      render: (_: unknown, row: CalendarRow) =>
        row.working ? (
          <Tag color="blue">{t('settings.calendar.working')}</Tag>
        ) : (
          <Tag color="green">{t('settings.calendar.off')}</Tag>
        ),
    },
    {
      key: 'source',
      title: '',
      render: (_: unknown, row: CalendarRow) => (
        <Tag bordered={false} color={row.source === 'org' ? 'purple' : 'default'}>
          {t(`settings.calendar.source.${row.source}`, { defaultValue: row.source })}
        </Tag>
      ),
    },
    ...(canManage
      ? [
          {
            key: 'actions',
            title: '',
            render: (_: unknown, row: CalendarRow) =>
              row.removable ? (
                <Popconfirm
                  title={t('settings.calendar.removeConfirm', { day: formatDay(row.day, locale) })}
                  okText={t('common.delete')}
                  cancelText={t('common.cancel')}
                  onConfirm={() =>
                    removeDay.mutate(row.day, {
                      onSuccess: () => void message.success(t('settings.calendar.dayRemoved')),
                    })
                  }
                >
                  <Button size="small" type="text" danger icon={<DeleteOutlined />} data-testid="calendar-day-remove">
                    {t('settings.calendar.remove')}
                  </Button>
                </Popconfirm>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <Card title={t('settings.calendar.title')} variant="borderless" data-testid="work-calendar">
      <Typography.Paragraph type="secondary">{t('settings.calendar.hint')}</Typography.Paragraph>
      {calendar.error ? <ProblemAlert error={calendar.error} onRetry={() => void calendar.refetch()} /> : null}
      {saveSettings.error && !(isApiError(saveSettings.error) && saveSettings.error.status === 409) ? (
        <ProblemAlert error={saveSettings.error} />
      ) : null}
      {data ? (
        <Flex vertical gap={16}>
          <Flex gap={24} wrap align="center">
            <div>
              <Typography.Text strong style={{ display: 'block', marginBottom: 6 }}>
                {t('settings.calendar.weekend')}
              </Typography.Text>
              <Checkbox.Group
                disabled={!canManage}
                value={weekend}
                onChange={(values) => setWeekend(values)}
                options={WEEKDAYS.map((d) => ({ value: d, label: weekdayName(d) }))}
                data-testid="calendar-weekend"
              />
            </div>
            <div>
              <Space>
                <Switch disabled={!canManage} checked={china} onChange={setChina} data-testid="calendar-china" />
                <Typography.Text>{t('settings.calendar.chinaHolidays')}</Typography.Text>
              </Space>
              <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                {t('settings.calendar.chinaYears', { years: yearRanges(data.china_years) })}
              </Typography.Text>
            </div>
            {canManage ? (
              <Button
                type="primary"
                disabled={!change}
                loading={saveSettings.isPending}
                onClick={submitSettings}
                data-testid="calendar-save"
              >
                {t('common.save')}
              </Button>
            ) : null}
          </Flex>
          <Flex gap={12} align="center" wrap>
            <Typography.Text strong>{t('settings.calendar.days')}</Typography.Text>
            <DatePicker
              picker="year"
              allowClear={false}
              value={dayjs(`${year}-01-01`)}
              onChange={(value) => value && setYear(value.year())}
              data-testid="calendar-year"
            />
          </Flex>
          {holidaysMissing(data) ? (
            <Alert type="warning" showIcon message={t('settings.calendar.notCovered', { year })} />
          ) : null}
          {canManage ? (
            <>
              {setDay.error ? <ProblemAlert error={setDay.error} /> : null}
              {removeDay.error ? <ProblemAlert error={removeDay.error} /> : null}
              <Form<DayValues>
                form={dayForm}
                layout="inline"
                initialValues={{ working: false }}
                onFinish={addDay}
                data-testid="calendar-day-form"
              >
                <Form.Item name="day" rules={[{ required: true, message: t('settings.calendar.day') }]}>
                  <DatePicker placeholder={t('settings.calendar.day')} data-testid="calendar-day-date" />
                </Form.Item>
                <Form.Item name="name" rules={[{ required: true, whitespace: true, max: 100 }]}>
                  <Input
                    placeholder={t('settings.calendar.name')}
                    style={{ width: 200 }}
                    data-testid="calendar-day-name"
                  />
                </Form.Item>
                <Form.Item name="working">
                  <Radio.Group optionType="button" data-testid="calendar-day-working">
                    <Radio value={false}>{t('settings.calendar.addOff')}</Radio>
                    <Radio value={true}>{t('settings.calendar.addWorking')}</Radio>
                  </Radio.Group>
                </Form.Item>
                <Button
                  htmlType="submit"
                  icon={<PlusOutlined />}
                  loading={setDay.isPending}
                  data-testid="calendar-day-add"
                >
                  {t('common.create')}
                </Button>
              </Form>
            </>
          ) : null}
          <Table<CalendarRow>
            rowKey="day"
            size="small"
            columns={columns}
            dataSource={calendarRows(data.days)}
            pagination={{ pageSize: 15, hideOnSinglePage: true }}
            loading={calendar.isFetching && calendar.isPlaceholderData}
            locale={{ emptyText: t('settings.calendar.empty') }}
            data-testid="calendar-days"
          />
        </Flex>
      ) : null}
    </Card>
  );
}
