import { Flex, Form, Input, Select, Switch } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from '@/components/FormModal';
import { useSaveForm } from '@/lib/saveForm';
import { useCreateCampaign, useUpdateCampaign, type Campaign, type Channel, type Project } from './api';
import {
  CAMPAIGN_STATUSES,
  campaignCreateBody,
  campaignUpdateBody,
  campaignValues,
  type CampaignValues,
} from './model';

const FIELDS = ['channel_id', 'external_id', 'name', 'project_id', 'status', 'sync_spend'];

interface CampaignFormModalProps {
  open: boolean;
  /** The campaign being edited; none: a new one. */
  campaign: Campaign | null;
  channels: readonly Channel[];
  /** The projects the reader sees (the server checks that they may manage the one chosen). */
  projects: readonly Project[];
  onClose: () => void;
  onSaved: (campaign: Campaign) => void;
}

/** 新建 / 编辑广告计划: the project it spends for, its status, and whether its spend goes to the project's budget. */
export function CampaignFormModal({ open, campaign, channels, projects, onClose, onSaved }: CampaignFormModalProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CampaignValues>();
  const create = useCreateCampaign();
  const update = useUpdateCampaign();

  useEffect(() => {
    if (open) form.setFieldsValue(campaign ? campaignValues(campaign) : { sync_spend: true });
  }, [open, campaign, form]);

  const { submit, close, pending, error } = useSaveForm({
    form,
    existing: campaign,
    create,
    update,
    createVars: campaignCreateBody,
    updateVars: (c, values) => ({ id: c.id, body: campaignUpdateBody(c, values) }),
    fields: FIELDS,
    onSaved,
    onClose,
  });

  return (
    <FormModal<CampaignValues>
      form={form}
      open={open}
      title={t(campaign ? 'channels.campaigns.form.editTitle' : 'channels.campaigns.form.createTitle')}
      okText={t(campaign ? 'common.save' : 'common.create')}
      onSubmit={submit}
      onCancel={close}
      pending={pending}
      error={error}
      destroyOnHidden
      preserve={false}
      width={560}
      submitTestId="campaign-submit"
      formTestId="campaign-form"
    >
      {campaign ? null : (
        <Flex gap={16}>
          <Form.Item
            name="channel_id"
            label={t('channels.campaigns.fields.channel')}
            rules={[{ required: true, message: t('channels.campaigns.form.channelRequired') }]}
            style={{ flex: 1 }}
          >
            <Select
              options={channels.filter((c) => c.active).map((c) => ({ value: c.id, label: c.name }))}
              data-testid="campaign-channel"
            />
          </Form.Item>
          <Form.Item
            name="external_id"
            label={t('channels.campaigns.fields.external_id')}
            extra={t('channels.campaigns.form.externalIdHint')}
            rules={[{ required: true, whitespace: true, message: t('channels.campaigns.form.externalIdRequired') }]}
            style={{ flex: 1 }}
          >
            <Input maxLength={100} data-testid="campaign-external-id" />
          </Form.Item>
        </Flex>
      )}
      <Form.Item
        name="name"
        label={t('channels.campaigns.fields.name')}
        rules={[{ required: true, whitespace: true, message: t('channels.form.nameRequired') }]}
      >
        <Input maxLength={200} data-testid="campaign-name" />
      </Form.Item>
      <Form.Item
        name="project_id"
        label={t('channels.campaigns.fields.project')}
        extra={t('channels.campaigns.form.projectHint')}
      >
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('channels.campaigns.noProject')}
          options={projects.map((p) => ({ value: p.id, label: `${p.code} · ${p.name}` }))}
          data-testid="campaign-project-select"
        />
      </Form.Item>
      {campaign ? (
        <Form.Item name="status" label={t('channels.campaigns.fields.status')}>
          <Select
            options={CAMPAIGN_STATUSES.map((s) => ({ value: s, label: t(`channels.campaigns.statuses.${s}`) }))}
            data-testid="campaign-status"
          />
        </Form.Item>
      ) : null}
      <Form.Item
        name="sync_spend"
        label={t('channels.campaigns.fields.sync_spend')}
        valuePropName="checked"
        extra={t('channels.campaigns.form.syncHint')}
      >
        <Switch data-testid="campaign-sync" />
      </Form.Item>
    </FormModal>
  );
}
