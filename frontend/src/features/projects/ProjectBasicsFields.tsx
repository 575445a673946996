import { useQuery } from '@tanstack/react-query';
import { Col, DatePicker, Form, Input, InputNumber, Row, Select } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PROJECT_TYPES } from '@/lib/projects';
import { periodsQuery, teamsQuery } from './api';
import { NameCheckHint } from './NameCheck';
import type { NameCheckState } from './useNameCheck';

// The tests find the fields by these ids; the wizard and the edit modal each keep their own.
const TEST_IDS = {
  wizard: {
    name: 'project-name-input',
    type: 'project-type',
    dates: 'project-dates',
    budget: 'project-budget-input',
    period: 'project-period',
    team: 'project-team',
  },
  edit: {
    name: 'project-edit-name',
    type: 'project-edit-type',
    dates: 'project-edit-dates',
    budget: 'project-edit-budget',
    period: 'project-edit-period',
    team: 'project-edit-team',
  },
} as const;

const NOTHING_LOCKED: ReadonlySet<string> = new Set();
const showInput = (input: ReactNode) => input;

/**
 * A project's basics, for the wizard's basics step and the edit modal, inside the caller's Form:
 * name (with the naming check), type, dates, budget, currency (only when `currencies` is given),
 * period, team, then `children` (more columns), then the description.
 */
export function ProjectBasicsFields({
  variant,
  check,
  locked = NOTHING_LOCKED,
  lockedHint,
  currencies,
  renderName = showInput,
  children,
}: {
  variant: 'wizard' | 'edit';
  check: NameCheckState;
  /** Places the form-bound name input (the wizard builds the name from pickers around it). */
  renderName?: (input: ReactNode) => ReactNode;
  /** Fields that cannot be changed now (the project is under approval). */
  locked?: ReadonlySet<string>;
  /** Why they are locked (under approval by default). */
  lockedHint?: string;
  currencies?: readonly string[];
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const periods = useQuery(periodsQuery);
  const teams = useQuery(teamsQuery);
  const ids = TEST_IDS[variant];
  const lockHint = locked.size > 0 ? (lockedHint ?? t('projects.edit.lockedHint')) : undefined;

  return (
    <>
      <Form.Item
        label={t('projects.fields.name')}
        required
        style={variant === 'wizard' ? { marginBottom: 16 } : undefined}
        extra={<NameCheckHint check={check} />}
      >
        {renderName(
          <Form.Item
            name="name"
            noStyle
            rules={[{ required: true, whitespace: true, message: t('projects.wizard.nameRequired') }]}
          >
            <Input
              placeholder={variant === 'wizard' ? t('projects.wizard.namePlaceholder') : undefined}
              maxLength={200}
              autoComplete="off"
              data-testid={ids.name}
            />
          </Form.Item>,
        )}
      </Form.Item>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="type" label={t('projects.fields.type')} rules={[{ required: true }]}>
            <Select
              options={PROJECT_TYPES.map((type) => ({ value: type, label: t(`projects.types.${type}`) }))}
              data-testid={ids.type}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="dates"
            label={t('projects.fields.dates')}
            rules={[{ required: true, message: t('projects.wizard.datesRequired') }]}
          >
            <DatePicker.RangePicker style={{ width: '100%' }} data-testid={ids.dates} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="total_budget"
            label={t('projects.fields.budget')}
            extra={locked.has('total_budget') ? lockHint : t('projects.wizard.budgetHint')}
          >
            <InputNumber<number>
              min={0}
              step={10000}
              precision={2}
              prefix="¥"
              disabled={locked.has('total_budget')}
              style={{ width: '100%' }}
              data-testid={ids.budget}
            />
          </Form.Item>
        </Col>
        {currencies ? (
          <Col xs={24} md={12}>
            <Form.Item
              name="currency"
              label={t('projects.fields.currency')}
              extra={locked.has('currency') ? lockHint : undefined}
              rules={[{ required: true }]}
            >
              <Select
                disabled={locked.has('currency')}
                options={currencies.map((c) => ({
                  value: c,
                  label: t(`projects.currencies.${c}`, { defaultValue: c }),
                }))}
                data-testid="project-edit-currency"
              />
            </Form.Item>
          </Col>
        ) : null}
        <Col xs={24} md={12}>
          <Form.Item name="period_id" label={t('projects.fields.period')}>
            <Select
              allowClear
              loading={periods.isPending}
              options={[...(periods.data ?? [])]
                .sort((a, b) => a.starts_on.localeCompare(b.starts_on) || (a.kind === 'year' ? -1 : 1))
                .map((p) => ({ value: p.id, label: p.name }))}
              data-testid={ids.period}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="team_id" label={t('projects.fields.team')}>
            <Select
              allowClear
              loading={teams.isPending}
              options={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
              data-testid={ids.team}
            />
          </Form.Item>
        </Col>
        {children}
      </Row>
      <Form.Item name="description" label={t('projects.fields.description')}>
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
    </>
  );
}
