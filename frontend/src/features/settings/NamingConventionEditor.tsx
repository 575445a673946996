import { CheckCircleFilled, CloseCircleFilled, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Flex,
  Form,
  Input,
  InputNumber,
  Select,
  Skeleton,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NameIssues } from '@/components/NameIssues';
import { ProblemAlert } from '@/components/ProblemAlert';
import { partsByLabel } from '@/lib/nameParts';
import { namingConventionQuery, useCheckName, useSetNamingConvention, type NamingConvention } from './api';
import {
  addChoiceValue,
  buildNamingBody,
  draftFromConvention,
  draftPreview,
  isDirty,
  namingErrors,
  PART_KEY,
  PART_KINDS,
  patternPartKeys,
  removeChoiceValue,
  type NamingDraft,
  type PartDraft,
} from './namingModel';

/** The values of a choice part as tags, with a box to add one. */
function ChoiceValues({
  part,
  editable,
  onChange,
}: {
  part: PartDraft;
  editable: boolean;
  onChange: (part: PartDraft) => void;
}) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const add = () => {
    onChange(addChoiceValue(part, value));
    setValue('');
  };
  return (
    <Flex wrap gap={4} align="center" data-testid="naming-values">
      {part.values.map((v) => (
        <Tag
          key={v}
          color="blue"
          bordered={false}
          closable={editable && part.values.length > 1}
          onClose={(e) => {
            e.preventDefault();
            onChange(removeChoiceValue(part, v));
          }}
          data-testid="naming-value"
        >
          {v}
        </Tag>
      ))}
      {editable ? (
        <Space.Compact size="small">
          <Input
            size="small"
            value={value}
            maxLength={40}
            placeholder={t('settings.naming.newValue')}
            onChange={(e) => setValue(e.target.value)}
            onPressEnter={add}
            style={{ width: 110 }}
            aria-label={t('settings.naming.newValue')}
            data-testid="naming-value-input"
          />
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={add}
            disabled={!value.trim()}
            aria-label={t('settings.naming.addValue')}
            data-testid="naming-value-add"
          />
        </Space.Compact>
      ) : null}
    </Flex>
  );
}

/** Try a name against the saved convention (the same check the project forms run). */
function NameTry({ conventionParts }: { conventionParts: Record<string, unknown> }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const check = useCheckName();
  const result = check.data;
  return (
    <Flex vertical gap={6}>
      <Space.Compact style={{ maxWidth: 480 }}>
        <Input
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            check.reset();
          }}
          onPressEnter={() => name.trim() && check.mutate(name.trim())}
          placeholder={t('settings.naming.tryPlaceholder')}
          aria-label={t('settings.naming.try')}
          data-testid="naming-try-input"
        />
        <Button
          onClick={() => check.mutate(name.trim())}
          disabled={!name.trim()}
          loading={check.isPending}
          data-testid="naming-try"
        >
          {t('settings.naming.tryButton')}
        </Button>
      </Space.Compact>
      <div data-testid="naming-try-result" style={{ minHeight: 22 }}>
        {check.error ? <ProblemAlert error={check.error} /> : null}
        {result?.ok ? (
          <Typography.Text type="success" data-state="ok">
            <CheckCircleFilled /> {t('settings.naming.tryOk')}
            {Object.keys(result.parts).length > 0 ? (
              <span data-testid="naming-try-parts"> · {partsByLabel(result.parts, conventionParts)}</span>
            ) : null}
          </Typography.Text>
        ) : null}
        {result && !result.ok ? (
          // The part at fault by its label, what it holds and what it may hold.
          <Flex gap={6} align="start" data-state="bad">
            <Typography.Text type="danger">
              <CloseCircleFilled />
            </Typography.Text>
            <Flex vertical gap={2}>
              <NameIssues issues={result.issues} form={result.expected_form} example={result.example} />
              {Object.keys(result.parts).length > 0 ? (
                <Typography.Text type="secondary" data-testid="naming-try-parts">
                  {partsByLabel(result.parts, conventionParts)}
                </Typography.Text>
              ) : null}
            </Flex>
          </Flex>
        ) : null}
      </div>
    </Flex>
  );
}

function Editor({ saved, canManage }: { saved: NamingConvention; canManage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [draft, setDraft] = useState<NamingDraft>(() => draftFromConvention(saved));
  const [newKey, setNewKey] = useState('');
  const save = useSetNamingConvention();
  const errors = namingErrors(save.error);
  const dirty = isDirty(draft, saved);
  const preview = draftPreview(draft);
  const used = new Set(patternPartKeys(draft.pattern));

  const edit = (next: NamingDraft) => {
    setDraft(next);
    if (save.error) save.reset();
  };
  const setPart = (key: string, part: PartDraft) =>
    edit({ ...draft, parts: draft.parts.map((p) => (p.key === key ? part : p)) });
  const keyOk = PART_KEY.test(newKey) && !draft.parts.some((p) => p.key === newKey);
  const addPart = () => {
    if (!keyOk) return;
    edit({
      ...draft,
      parts: [...draft.parts, { key: newKey, kind: 'text', label: newKey, values: [], max_length: 40, example: '' }],
    });
    setNewKey('');
  };

  const submit = () =>
    save.mutate(buildNamingBody(draft), {
      onSuccess: (convention) => {
        setDraft(draftFromConvention(convention));
        void message.success(t('settings.naming.saved'));
      },
    });

  return (
    <Flex vertical gap={16}>
      <Form layout="vertical" disabled={!canManage} component="div">
        <Form.Item label={t('settings.naming.enabled')} extra={t('settings.naming.enabledHint')}>
          <Switch
            checked={draft.enabled}
            onChange={(enabled) => edit({ ...draft, enabled })}
            data-testid="naming-enabled"
          />
        </Form.Item>
        <Form.Item
          label={t('settings.naming.pattern')}
          extra={t('settings.naming.patternHint')}
          validateStatus={errors.pattern.length > 0 ? 'error' : undefined}
          help={errors.pattern.length > 0 ? errors.pattern.join('; ') : undefined}
        >
          <Input
            value={draft.pattern}
            maxLength={200}
            onChange={(e) => edit({ ...draft, pattern: e.target.value })}
            style={{ fontFamily: 'monospace', maxWidth: 480 }}
            data-testid="naming-pattern"
          />
        </Form.Item>
      </Form>

      <Table<PartDraft>
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={draft.parts}
        data-testid="naming-parts"
        columns={[
          {
            title: t('settings.naming.key'),
            dataIndex: 'key',
            width: 130,
            // The part by its label (期间, 品牌线); its key is the pattern's own spelling.
            render: (key: string, part) => (
              <Flex vertical>
                <Typography.Text strong data-testid="naming-part-label">
                  {part.label.trim() || key}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12, fontFamily: 'monospace' }}>
                  {`{${key}}`}
                </Typography.Text>
                {!used.has(key) ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('settings.naming.unused')}
                  </Typography.Text>
                ) : null}
              </Flex>
            ),
          },
          {
            title: t('settings.naming.kind'),
            dataIndex: 'kind',
            width: 120,
            render: (_: unknown, part) => (
              <Select
                size="small"
                value={part.kind}
                disabled={!canManage}
                onChange={(kind) => setPart(part.key, { ...part, kind })}
                options={PART_KINDS.map((k) => ({ value: k, label: t(`settings.naming.kinds.${k}`) }))}
                style={{ width: 100 }}
                aria-label={t('settings.naming.kind')}
              />
            ),
          },
          {
            title: t('settings.naming.label'),
            dataIndex: 'label',
            width: 140,
            render: (_: unknown, part) => (
              <Input
                size="small"
                value={part.label}
                maxLength={40}
                disabled={!canManage}
                status={!part.label.trim() ? 'error' : undefined}
                onChange={(e) => setPart(part.key, { ...part, label: e.target.value })}
                aria-label={t('settings.naming.label')}
              />
            ),
          },
          {
            title: t('settings.naming.rule'),
            key: 'rule',
            render: (_: unknown, part) => (
              <Flex vertical gap={4}>
                {part.kind === 'choice' ? (
                  <ChoiceValues part={part} editable={canManage} onChange={(p) => setPart(part.key, p)} />
                ) : part.kind === 'text' ? (
                  <Space size={6}>
                    <Typography.Text type="secondary">{t('settings.naming.maxLength')}</Typography.Text>
                    <InputNumber<number>
                      size="small"
                      min={1}
                      max={200}
                      precision={0}
                      value={part.max_length}
                      disabled={!canManage}
                      onChange={(v) => setPart(part.key, { ...part, max_length: v ?? 40 })}
                      aria-label={t('settings.naming.maxLength')}
                    />
                  </Space>
                ) : (
                  <Typography.Text type="secondary">{t('settings.naming.periodRule')}</Typography.Text>
                )}
                {errors.parts[part.key] ? (
                  <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid="naming-part-error">
                    {errors.parts[part.key]?.join('; ')}
                  </Typography.Text>
                ) : null}
              </Flex>
            ),
          },
          {
            title: t('settings.naming.example'),
            dataIndex: 'example',
            width: 150,
            render: (_: unknown, part) => (
              <Input
                size="small"
                value={part.example}
                maxLength={80}
                disabled={!canManage}
                placeholder={t('settings.naming.exampleAuto')}
                onChange={(e) => setPart(part.key, { ...part, example: e.target.value })}
                aria-label={t('settings.naming.example')}
              />
            ),
          },
          ...(canManage
            ? [
                {
                  title: '',
                  key: 'remove',
                  width: 48,
                  render: (_: unknown, part: PartDraft) => (
                    <Button
                      size="small"
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      disabled={used.has(part.key)}
                      title={used.has(part.key) ? t('settings.naming.inUse') : t('settings.naming.removePart')}
                      aria-label={t('settings.naming.removePart')}
                      onClick={() => edit({ ...draft, parts: draft.parts.filter((p) => p.key !== part.key) })}
                    />
                  ),
                },
              ]
            : []),
        ]}
      />
      {canManage ? (
        <Space.Compact style={{ maxWidth: 360 }}>
          <Input
            value={newKey}
            onChange={(e) => setNewKey(e.target.value.trim())}
            onPressEnter={addPart}
            placeholder={t('settings.naming.newPartKey')}
            status={newKey && !keyOk ? 'error' : undefined}
            aria-label={t('settings.naming.newPartKey')}
            style={{ fontFamily: 'monospace' }}
          />
          <Button icon={<PlusOutlined />} onClick={addPart} disabled={!keyOk}>
            {t('settings.naming.addPart')}
          </Button>
        </Space.Compact>
      ) : null}

      <Card size="small" data-testid="naming-preview" style={{ background: 'rgba(22, 119, 255, 0.04)' }}>
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('settings.naming.expectedForm')}>
            <Typography.Text strong data-testid="naming-preview-form">
              {dirty ? preview.expectedForm : saved.expected_form || '—'}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('settings.naming.exampleName')}>
            <Typography.Text data-testid="naming-preview-example">
              {dirty ? preview.example : saved.example || '—'}
            </Typography.Text>
            {dirty ? (
              <Tag color="orange" bordered={false} style={{ marginInlineStart: 8 }} data-testid="naming-unsaved">
                {t('settings.naming.unsaved')}
              </Tag>
            ) : null}
          </Descriptions.Item>
        </Descriptions>
        {!draft.enabled ? <Typography.Text type="warning">{t('settings.naming.disabledNote')}</Typography.Text> : null}
      </Card>

      {/* Errors that found no field: the whole problem, as the server put it. */}
      {save.error && errors.pattern.length === 0 && Object.keys(errors.parts).length === 0 ? (
        <ProblemAlert error={save.error} />
      ) : null}
      {canManage ? (
        <Flex gap={8}>
          <Button type="primary" onClick={submit} loading={save.isPending} disabled={!dirty} data-testid="naming-save">
            {t('common.save')}
          </Button>
          <Button onClick={() => edit(draftFromConvention(saved))} disabled={!dirty} data-testid="naming-reset">
            {t('settings.naming.reset')}
          </Button>
        </Flex>
      ) : null}

      <div>
        <Typography.Title level={5} style={{ marginTop: 8 }}>
          {t('settings.naming.try')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t('settings.naming.tryHint')}
        </Typography.Paragraph>
        <NameTry conventionParts={saved.parts} />
      </div>
    </Flex>
  );
}

/** The organisation's project naming convention: pattern, parts, preview, and a name to try. */
export function NamingConventionEditor({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const convention = useQuery(namingConventionQuery);
  return (
    <Card variant="borderless" title={t('settings.naming.title')} data-testid="naming-convention">
      <Typography.Paragraph type="secondary">{t('settings.naming.intro')}</Typography.Paragraph>
      {convention.error ? <ProblemAlert error={convention.error} onRetry={() => void convention.refetch()} /> : null}
      {convention.isPending ? <Skeleton active /> : null}
      {convention.data && !convention.data.pattern && !canManage ? (
        <Alert type="info" showIcon message={t('settings.naming.none')} />
      ) : null}
      {convention.data ? (
        // Not keyed by the data: a remount would drop the save's callbacks (and the draft).
        <Editor saved={convention.data} canManage={canManage} />
      ) : null}
    </Card>
  );
}
