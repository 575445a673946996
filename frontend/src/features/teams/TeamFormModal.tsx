import { Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormModal } from '@/components/FormModal';
import { useSaveForm } from '@/lib/saveForm';
import { useCreateTeam, useUpdateTeam, type Member, type Team } from './api';
import { teamBody } from './model';

interface FormValues {
  name: string;
  description?: string | null;
  lead_member_id?: string | null;
  member_ids: string[];
}

const FIELDS = ['name', 'description', 'lead_member_id', 'member_ids'] as const;

interface TeamFormModalProps {
  /** The team being edited; null to create one. */
  team: Team | null;
  open: boolean;
  members: readonly Member[];
  onClose: () => void;
  onSaved: (team: Team, created: boolean) => void;
}

/** Creates a team or edits its name, description, lead and members. */
export function TeamFormModal({ team, open, members, onClose, onSaved }: TeamFormModalProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const create = useCreateTeam();
  const update = useUpdateTeam();

  const options = members
    .filter((m) => m.is_active || team?.member_ids.includes(m.id) || team?.lead_member_id === m.id)
    .map((m) => ({ value: m.id, label: m.name, title: m.email }));

  const { submit, close, pending, error } = useSaveForm({
    form,
    existing: team,
    create,
    update,
    createVars: teamBody,
    updateVars: (existing, values) => ({ id: existing.id, body: { ...teamBody(values), version: existing.version } }),
    fields: FIELDS,
    onSaved,
    onClose,
  });

  return (
    <FormModal<FormValues>
      form={form}
      open={open}
      title={t(team ? 'teams.editTitle' : 'teams.createTitle')}
      okText={t(team ? 'common.save' : 'common.create')}
      onSubmit={submit}
      onCancel={close}
      pending={pending}
      error={error}
      destroyOnHidden
      submitTestId="team-submit"
      formTestId="team-form"
      preserve={false}
      initialValues={{
        name: team?.name ?? '',
        description: team?.description ?? '',
        lead_member_id: team?.lead_member_id ?? undefined,
        member_ids: team?.member_ids ?? [],
      }}
      onValuesChange={(changed: Partial<FormValues>) => {
        // The lead belongs to the team: picking one adds them to the members.
        const lead = changed.lead_member_id;
        const current = form.getFieldValue('member_ids') as string[];
        if (lead && !current.includes(lead)) form.setFieldValue('member_ids', [...current, lead]);
      }}
    >
      <Form.Item
        name="name"
        label={t('teams.name')}
        rules={[{ required: true, whitespace: true, message: t('teams.nameRequired') }]}
      >
        <Input maxLength={100} autoComplete="off" placeholder={t('teams.namePlaceholder')} data-testid="team-name" />
      </Form.Item>
      <Form.Item name="description" label={t('teams.description')}>
        <Input.TextArea maxLength={1000} autoSize={{ minRows: 2, maxRows: 5 }} data-testid="team-description" />
      </Form.Item>
      <Form.Item name="lead_member_id" label={t('teams.lead')}>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('teams.leadPlaceholder')}
          options={options}
          data-testid="team-lead"
        />
      </Form.Item>
      <Form.Item name="member_ids" label={t('teams.members')} extra={t('teams.membersHelp')}>
        <Select
          mode="multiple"
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('teams.membersPlaceholder')}
          options={options}
          data-testid="team-members"
        />
      </Form.Item>
    </FormModal>
  );
}
