import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Flex, Modal, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '@/api/errors';
import { ProblemAlert } from '@/components/ProblemAlert';
import { useSetMembers, type ProjectDetail, type ProjectRole } from './api';
import { buildMembersBody, PROJECT_ROLES, saveConflict } from './editModel';
import { useMemberOptions } from './hooks';

interface Row {
  member_id: string;
  role: ProjectRole;
}

/** Replaces the project team: who is on it and in which project role (the manager always stays). */
export function MembersModal({
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
  const options = useMemberOptions();
  const save = useSetMembers(project.id);
  const [rows, setRows] = useState<Row[]>(() => {
    const current = project.members.map((m) => ({ member_id: m.member_id, role: m.role }));
    return current.some((m) => m.member_id === project.owner_member_id)
      ? current
      : [{ member_id: project.owner_member_id, role: 'manager' }, ...current];
  });
  const [adding, setAdding] = useState<string | undefined>();
  const names = new Map<string, string>([
    ...project.members.map((m) => [m.member_id, m.name] as const),
    [project.owner_member_id, project.owner_name],
    ...options.map((o) => [o.value, o.label] as const),
  ]);
  const taken = new Set(rows.map((r) => r.member_id));
  const conflict = saveConflict(save.error);
  const rowError = (i: number) =>
    isApiError(save.error) ? save.error.errors.find((e) => e.field.startsWith(`members[${i}]`))?.message : undefined;

  const add = (memberId: string | undefined) => {
    if (!memberId || taken.has(memberId)) return;
    setRows([...rows, { member_id: memberId, role: 'contributor' }]);
    setAdding(undefined);
  };

  return (
    <Modal
      open={open}
      width={640}
      title={t('projects.members.title')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onCancel={onClose}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'members-save' }}
      onOk={() =>
        save.mutate(buildMembersBody(rows, project.owner_member_id, project.version), {
          onSuccess: () => {
            void message.success(t('projects.members.saved'));
            onClose();
          },
        })
      }
    >
      {conflict?.kind === 'stale' ? (
        <ProblemAlert error={save.error} title={t('projects.edit.stale')} />
      ) : save.error ? (
        <ProblemAlert error={save.error} />
      ) : null}
      <Typography.Paragraph type="secondary">{t('projects.members.hint')}</Typography.Paragraph>
      <Flex vertical gap={8} data-testid="members-editor">
        {rows.map((row, i) => {
          const isOwner = row.member_id === project.owner_member_id;
          const error = rowError(i);
          return (
            <div key={row.member_id} data-testid="members-row">
              <Flex gap={8} align="center">
                <Typography.Text strong style={{ flex: '1 1 160px' }}>
                  {names.get(row.member_id) ?? row.member_id}
                  {isOwner ? (
                    <Tag bordered={false} color="blue" style={{ marginInlineStart: 8 }}>
                      {t('projects.fields.owner')}
                    </Tag>
                  ) : null}
                </Typography.Text>
                <Select<ProjectRole>
                  value={row.role}
                  disabled={isOwner}
                  onChange={(role) => setRows(rows.map((r, j) => (j === i ? { ...r, role } : r)))}
                  options={PROJECT_ROLES.map((r) => ({ value: r, label: t(`projects.roles.${r}`) }))}
                  style={{ width: 140 }}
                  aria-label={t('projects.members.role')}
                  data-testid="members-role"
                />
                <Button
                  type="text"
                  danger
                  icon={<DeleteOutlined />}
                  disabled={isOwner}
                  onClick={() => setRows(rows.filter((_, j) => j !== i))}
                  aria-label={t('projects.members.remove')}
                />
              </Flex>
              {error ? (
                <Typography.Text type="danger" style={{ fontSize: 12 }}>
                  {error}
                </Typography.Text>
              ) : null}
            </div>
          );
        })}
        <Flex gap={8} align="center" style={{ marginTop: 8 }}>
          <Select<string>
            showSearch
            optionFilterProp="label"
            value={adding}
            onChange={setAdding}
            placeholder={t('projects.members.pick')}
            options={options.filter((o) => !taken.has(o.value))}
            style={{ flex: 1 }}
            data-testid="members-pick"
          />
          <Button icon={<PlusOutlined />} disabled={!adding} onClick={() => add(adding)} data-testid="members-add">
            {t('projects.members.add')}
          </Button>
        </Flex>
      </Flex>
    </Modal>
  );
}
