import { App, Col, DatePicker, Form, Input, Radio, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { FormModal } from '@/components/FormModal';
import { useCreatePeriod, type Period } from './api';
import { useServerFieldErrors } from './hooks';
import { guessPeriod } from './model';

interface FormValues {
  name: string;
  kind: Period['kind'];
  parent_id: string | null;
  starts_on: Dayjs | null;
  ends_on: Dayjs | null;
}

const FIELDS = ['name', 'kind', 'parent_id', 'starts_on', 'ends_on'] as const;

interface PeriodFormModalProps {
  periods: readonly Period[];
  open: boolean;
  onClose: () => void;
  afterClose: () => void;
  onCreated: (period: Period) => void;
}

/** Opens a strategy year, or a quarter within one. "2027" or "2027Q1" fills in the dates. */
export function PeriodFormModal({ periods, open, onClose, afterClose, onCreated }: PeriodFormModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const create = useCreatePeriod();
  const serverErrors = useServerFieldErrors(form, FIELDS);
  const kind = Form.useWatch('kind', form) ?? 'year';
  const years = periods.filter((p) => p.kind === 'year');

  const fillFromName = (name: string) => {
    const guess = guessPeriod(name);
    if (!guess) return;
    const year = years.find((y) => y.name === guess.year);
    form.setFieldsValue({
      kind: guess.kind,
      starts_on: dayjs(guess.starts_on),
      ends_on: dayjs(guess.ends_on),
      parent_id: guess.kind === 'quarter' ? (year?.id ?? null) : null,
    });
  };

  const submit = (values: FormValues) => {
    serverErrors.reset();
    if (!values.starts_on || !values.ends_on) return;
    create.mutate(
      {
        name: values.name.trim(),
        kind: values.kind,
        parent_id: values.kind === 'quarter' ? (values.parent_id ?? null) : null,
        starts_on: values.starts_on.format('YYYY-MM-DD'),
        ends_on: values.ends_on.format('YYYY-MM-DD'),
      },
      {
        onSuccess: (period) => {
          void message.success(t('strategy.period.created'));
          onCreated(period);
          onClose();
        },
        onError: (error) => serverErrors.apply(error),
      },
    );
  };

  return (
    <FormModal<FormValues>
      form={form}
      open={open}
      title={t('strategy.period.addTitle')}
      okText={t('common.create')}
      onSubmit={submit}
      onCancel={onClose}
      afterClose={afterClose}
      pending={create.isPending}
      // A failure the fields show is not repeated above them.
      error={serverErrors.onFields ? null : create.error}
      submitTestId="period-submit"
      formTestId="period-form"
      initialValues={{ name: '', kind: 'year', parent_id: null, starts_on: null, ends_on: null }}
      onValuesChange={(changed: Partial<FormValues>) => {
        if (typeof changed.name === 'string') fillFromName(changed.name);
      }}
    >
      <Form.Item
        name="name"
        label={t('strategy.period.name')}
        extra={t('strategy.period.nameHelp')}
        rules={[{ required: true, whitespace: true, message: t('strategy.period.nameRequired') }]}
      >
        <Input maxLength={64} placeholder={t('strategy.period.namePlaceholder')} data-testid="period-name" />
      </Form.Item>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="kind" label={t('strategy.period.kind')} rules={[{ required: true }]}>
            <Radio.Group optionType="button" data-testid="period-kind">
              <Radio.Button value="year">{t('strategy.period.kinds.year')}</Radio.Button>
              <Radio.Button value="quarter">{t('strategy.period.kinds.quarter')}</Radio.Button>
            </Radio.Group>
          </Form.Item>
        </Col>
        <Col span={12}>
          {kind === 'quarter' ? (
            <Form.Item
              name="parent_id"
              label={t('strategy.period.parent')}
              rules={[{ required: true, message: t('strategy.period.parentRequired') }]}
            >
              <Select
                options={years.map((y) => ({ value: y.id, label: y.name }))}
                placeholder={t('strategy.period.parentPlaceholder')}
                data-testid="period-parent"
              />
            </Form.Item>
          ) : null}
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item
            name="starts_on"
            label={t('strategy.period.startsOn')}
            rules={[{ required: true, message: t('strategy.period.startsOnRequired') }]}
          >
            <DatePicker style={{ width: '100%' }} data-testid="period-starts-on" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="ends_on"
            label={t('strategy.period.endsOn')}
            dependencies={['starts_on']}
            rules={[
              { required: true, message: t('strategy.period.endsOnRequired') },
              ({ getFieldValue }) => ({
                validator: (_, value: Dayjs | null) => {
                  const start = getFieldValue('starts_on') as Dayjs | null;
                  return !value || !start || !value.isBefore(start, 'day')
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('strategy.serverErrors.datesOutOfOrder')));
                },
              }),
            ]}
          >
            <DatePicker style={{ width: '100%' }} data-testid="period-ends-on" />
          </Form.Item>
        </Col>
      </Row>
    </FormModal>
  );
}
