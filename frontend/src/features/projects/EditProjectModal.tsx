import { LockOutlined } from '@ant-design/icons';
import { Alert, App, Col, Form, Modal, Select, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '@/api/errors';
import { ProblemAlert } from '@/components/ProblemAlert';
import { applyFieldErrors } from '@/lib/formErrors';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import { useUpdateProject, type ProjectDetail } from './api';
import {
  buildUpdateBody,
  changesSomething,
  CURRENCIES,
  editValuesFrom,
  isDecided,
  lockedFields,
  saveConflict,
  type EditValues,
} from './editModel';
import { useMemberOptions } from './hooks';
import { isDuplicateName, namingProblem, namingRefusal } from './model';
import { ProjectBasicsFields } from './ProjectBasicsFields';
import { useNameCheck } from './useNameCheck';

const EDIT_FIELDS = [
  'name',
  'type',
  'description',
  'dates',
  'total_budget',
  'currency',
  'period_id',
  'team_id',
  'owner_member_id',
] as const;

/** The project's basics: name (checked against the naming convention as it is typed), dates, money, people. */
export function EditProjectModal({
  project,
  open,
  onClose,
}: {
  project: ProjectDetail;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useSession();
  const canReassign = hasPermission(me, PERMISSIONS.projectsManageAll);
  const [form] = Form.useForm<EditValues>();
  const [initial] = useState(() => editValuesFrom(project));
  const memberOptions = useMemberOptions();
  const update = useUpdateProject(project.id);
  const locked = lockedFields(project.status);

  const name = Form.useWatch('name', form);
  // A name left as it was is not checked again by the server, so only a new one is checked here.
  const renamed = name !== undefined && name.trim() !== project.name;
  const periodId = Form.useWatch('period_id', form);
  const dates = Form.useWatch('dates', form);
  // Checked as this project (its own name is not taken by itself) with the period and dates
  // as edited.
  const nameContext = useMemo(
    () => ({
      project_id: project.id,
      period_id: periodId ?? null,
      starts_on: dates?.[0]?.format('YYYY-MM-DD'),
      ends_on: dates?.[1]?.format('YYYY-MM-DD'),
    }),
    [project.id, periodId, dates],
  );
  const check = useNameCheck(renamed ? name : '', nameContext);
  const conflict = saveConflict(update.error);

  const currencies = [...new Set([project.currency, me.org.currency || 'CNY', ...CURRENCIES])];
  const lockHint =
    locked.size === 0
      ? undefined
      : isDecided(project.status)
        ? t('projects.edit.decidedHint')
        : t('projects.edit.lockedHint');

  const save = async () => {
    let values: EditValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    if (renamed && check.state === 'bad') {
      form.setFields([{ name: 'name', errors: [t('projects.naming.fixFirst')] }]);
      return;
    }
    const body = buildUpdateBody(project, { ...initial, ...values }, { canReassign });
    if (!changesSomething(body)) {
      onClose();
      return;
    }
    update.mutate(body, {
      onSuccess: () => {
        void message.success(t('projects.edit.saved'));
        onClose();
      },
      onError: (error) => {
        if (isDuplicateName(error)) {
          form.setFields([{ name: 'name', errors: [t('nameCheck.issues.duplicate')] }]);
          return;
        }
        const naming = namingProblem(error);
        if (naming?.expectedForm && isApiError(error) && error.errors.some((e) => e.field.endsWith('name'))) {
          form.setFields([{ name: 'name', errors: [namingRefusal(t, naming)] }]);
          return;
        }
        applyFieldErrors(form, error, { fields: [...EDIT_FIELDS] });
        // The dates are one picker: the server names its two ends.
        if (isApiError(error)) {
          const dateErrors = error.errors
            .filter((e) => /(^|\.)(starts_on|ends_on)$/.test(e.field))
            .map((e) => (e.type === 'dates_out_of_order' ? t('projects.edit.datesOrder') : e.message));
          if (dateErrors.length > 0) form.setFields([{ name: 'dates', errors: dateErrors }]);
        }
      },
    });
  };

  const fieldErrorsShown =
    isApiError(update.error) &&
    update.error.status === 422 &&
    update.error.errors.some((e) =>
      /^(body\.)?(name|type|description|starts_on|ends_on|total_budget|currency|period_id|team_id|owner_member_id)$/.test(
        e.field,
      ),
    );

  return (
    <Modal
      open={open}
      width={760}
      title={t('projects.edit.title')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={update.isPending}
      onCancel={onClose}
      onOk={() => void save()}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'project-edit-save' }}
    >
      {conflict?.kind === 'stale' ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="project-edit-stale"
          message={t('projects.edit.stale')}
          description={t('projects.edit.staleHint')}
        />
      ) : null}
      {conflict?.kind === 'state' ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="project-edit-conflict"
          message={t('projects.edit.conflict')}
          description={conflict.detail ?? undefined}
        />
      ) : null}
      {update.error && !conflict && !fieldErrorsShown && !namingProblem(update.error) ? (
        <ProblemAlert error={update.error} />
      ) : null}
      {locked.size > 0 ? (
        <Alert
          type="info"
          showIcon
          icon={<LockOutlined />}
          style={{ marginBottom: 16 }}
          data-testid="project-edit-locked"
          message={isDecided(project.status) ? t('projects.edit.decided') : t('projects.edit.underApproval')}
        />
      ) : null}
      <Form<EditValues> form={form} layout="vertical" initialValues={initial} data-testid="project-edit-form">
        <ProjectBasicsFields variant="edit" check={check} locked={locked} lockedHint={lockHint} currencies={currencies}>
          {canReassign ? (
            <Col xs={24} md={12}>
              <Form.Item
                name="owner_member_id"
                label={t('projects.fields.owner')}
                extra={locked.has('owner_member_id') ? lockHint : t('projects.edit.ownerHint')}
                rules={[{ required: true }]}
              >
                <Select
                  showSearch
                  optionFilterProp="label"
                  disabled={locked.has('owner_member_id')}
                  // The current manager stays pickable even if the directory has not loaded yet.
                  options={
                    memberOptions.some((o) => o.value === project.owner_member_id)
                      ? memberOptions
                      : [{ value: project.owner_member_id, label: project.owner_name }, ...memberOptions]
                  }
                  data-testid="project-edit-owner"
                />
              </Form.Item>
            </Col>
          ) : null}
        </ProjectBasicsFields>
        {!canReassign ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('projects.edit.ownerOnlyDirectors')}
          </Typography.Text>
        ) : null}
      </Form>
    </Modal>
  );
}
