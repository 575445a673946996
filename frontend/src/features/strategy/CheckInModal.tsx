import { App, DatePicker, Descriptions, Flex, Form, Input, InputNumber, Modal, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '@/components/ProblemAlert';
import { ProgressBar } from '@/components/ProgressBar';
import { formatDay, todayIn } from '@/lib/format';
import { useSession } from '@/lib/session';
import { useCheckIn, type Kpi } from './api';
import { useDisplayLocale, useServerFieldErrors } from './hooks';
import { attainmentOf, formatKpiRange, formatKpiValue, moneyCurrency, trimDecimal } from './model';

interface FormValues {
  value: string | null;
  checked_on: Dayjs;
  note?: string;
}

const FIELDS = ['value', 'checked_on', 'note'] as const;

interface CheckInModalProps {
  kpi: Kpi;
  open: boolean;
  onClose: () => void;
  afterClose: () => void;
}

/** Records a KPI's value on a day (today by default, never in the future). */
export function CheckInModal({ kpi, open, onClose, afterClose }: CheckInModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useSession();
  const locale = useDisplayLocale();
  const [form] = Form.useForm<FormValues>();
  const checkIn = useCheckIn();
  const serverErrors = useServerFieldErrors(form, FIELDS);
  const today = todayIn(me.org.timezone);
  const value = Form.useWatch('value', form);
  const preview = attainmentOf(kpi.baseline, kpi.target, value);
  const currency = moneyCurrency(kpi.unit);

  const submit = async () => {
    const values = await form.validateFields();
    serverErrors.reset();
    checkIn.mutate(
      {
        kpiId: kpi.id,
        body: {
          value: String(values.value),
          checked_on: values.checked_on.format('YYYY-MM-DD'),
          note: values.note?.trim() || null,
        },
      },
      {
        onSuccess: () => {
          void message.success(t('strategy.checkIn.saved'));
          onClose();
        },
        onError: (error) => serverErrors.apply(error),
      },
    );
  };

  return (
    <Modal
      open={open}
      title={t('strategy.checkIn.title')}
      okText={t('strategy.checkIn.submit')}
      cancelText={t('common.cancel')}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      afterClose={afterClose}
      confirmLoading={checkIn.isPending}
      okButtonProps={{ 'data-testid': 'check-in-submit' }}
      data-testid="check-in-modal"
    >
      <Typography.Paragraph strong style={{ fontSize: 15, marginBottom: 8 }}>
        {kpi.name}
      </Typography.Paragraph>
      <Descriptions
        size="small"
        column={1}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'range', label: t('strategy.kpi.range'), children: formatKpiRange(kpi, locale) },
          {
            key: 'current',
            label: t('strategy.kpi.current'),
            children: kpi.current_as_of
              ? `${formatKpiValue(kpi.current_value, kpi.unit, locale)}（${formatDay(kpi.current_as_of, locale)}）`
              : t('strategy.kpi.noCheckIn'),
          },
        ]}
      />
      {checkIn.error && !serverErrors.onFields ? <ProblemAlert error={checkIn.error} /> : null}
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={{ value: kpi.current_value ? trimDecimal(kpi.current_value) : null, checked_on: dayjs(today) }}
        data-testid="check-in-form"
      >
        <Form.Item
          label={t('strategy.checkIn.value')}
          required
          extra={
            preview ? (
              <Flex align="center" gap={8} style={{ marginTop: 4 }}>
                <span>{t('strategy.checkIn.preview')}</span>
                <div style={{ width: 220 }}>
                  <ProgressBar progress={preview} testId="check-in-preview" />
                </div>
              </Flex>
            ) : undefined
          }
        >
          <Space.Compact style={{ width: '100%' }}>
            {currency ? <Space.Addon>{currency}</Space.Addon> : null}
            <Form.Item name="value" noStyle rules={[{ required: true, message: t('strategy.checkIn.valueRequired') }]}>
              <InputNumber<string> stringMode style={{ width: '100%' }} autoFocus data-testid="check-in-value" />
            </Form.Item>
            {currency ? null : <Space.Addon>{kpi.unit}</Space.Addon>}
          </Space.Compact>
        </Form.Item>
        <Form.Item
          name="checked_on"
          label={t('strategy.checkIn.date')}
          rules={[{ required: true, message: t('strategy.checkIn.dateRequired') }]}
        >
          <DatePicker
            allowClear={false}
            style={{ width: '100%' }}
            disabledDate={(d) => d.format('YYYY-MM-DD') > today}
            data-testid="check-in-date"
          />
        </Form.Item>
        <Form.Item name="note" label={t('strategy.checkIn.note')}>
          <Input.TextArea
            rows={3}
            maxLength={1000}
            showCount
            placeholder={t('strategy.checkIn.notePlaceholder')}
            data-testid="check-in-note"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
