import { PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Popconfirm, Space, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { errorText } from '@/lib/errorText';
import type { DisplayLocale } from '@/lib/format';
import { paths } from '@/lib/paths';
import { hasPermission, PERMISSIONS } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import { rulesQuery, useDeleteRule, useEvaluateRules, useUpdateRule, type Evaluated, type Rule } from './api';
import { conditionText, scopeText, windowText } from './model';
import { RuleFormModal } from './RuleFormModal';
import { SeverityTag } from '@/components/SeverityTag';

/** 预警规则: what is watched and when it raises an alert; planners keep the rules and run them now. */
export function RulesPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const { message } = App.useApp();
  const me = useSession();
  const canManage = hasPermission(me, PERMISSIONS.alertRulesManage);
  const rules = useQuery(rulesQuery);
  const update = useUpdateRule();
  const remove = useDeleteRule();
  const evaluate = useEvaluateRules();
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [evaluated, setEvaluated] = useState<Evaluated | null>(null);
  const failed = { onError: (error: unknown) => void message.error(errorText(error, t)) };

  const setActive = (rule: Rule, active: boolean) =>
    update.mutate(
      { id: rule.id, body: { active, version: rule.version } },
      {
        ...failed,
        onSuccess: () =>
          void message.success(t(active ? 'alerts.rules.resumed' : 'alerts.rules.paused', { name: rule.name })),
      },
    );

  const runNow = () =>
    evaluate.mutate(undefined, {
      ...failed,
      onSuccess: (counts) => setEvaluated(counts),
    });

  const columns: ColumnsType<Rule> = [
    {
      title: t('alerts.rules.fields.name'),
      key: 'name',
      render: (_, r) => <Typography.Text strong={r.active}>{r.name}</Typography.Text>,
    },
    {
      title: t('alerts.rules.fields.metric'),
      key: 'metric',
      render: (_, r) => t(`alerts.metrics.${r.metric}`, { defaultValue: r.metric }),
    },
    {
      title: t('alerts.rules.fields.condition'),
      key: 'condition',
      render: (_, r) => (
        <span data-testid="rule-condition">
          {conditionText(t, r, locale)}
          {r.benchmark_kind ? (
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {t('alerts.rules.benchmarkOf', { kind: t(`channels.kinds.${r.benchmark_kind}`) })}
            </Typography.Text>
          ) : null}
        </span>
      ),
    },
    {
      title: t('alerts.fields.scope'),
      key: 'scope',
      render: (_, r) => scopeText(t, r.scope_kind, r.scope_label),
    },
    {
      title: t('alerts.fields.window'),
      key: 'window',
      width: 110,
      render: (_, r) => windowText(t, r.window_unit, r.window_size),
    },
    {
      title: t('alerts.fields.severity'),
      key: 'severity',
      width: 80,
      render: (_, r) => <SeverityTag severity={r.severity} />,
    },
    {
      title: t('alerts.rules.fields.active'),
      key: 'active',
      width: 80,
      render: (_, r) => (
        <Switch
          size="small"
          checked={r.active}
          disabled={!canManage}
          loading={update.isPending && update.variables.id === r.id}
          onChange={(checked) => setActive(r, checked)}
          aria-label={t('alerts.rules.fields.active')}
          data-testid="rule-active-switch"
        />
      ),
    },
    {
      title: t('alerts.rules.fields.open_alerts'),
      key: 'open',
      width: 90,
      align: 'right',
      render: (_, r) =>
        r.open_alerts > 0 ? (
          <Link to={paths.modules.alerts}>
            <Tag color="red" style={{ marginInlineEnd: 0 }} data-testid="rule-open-alerts">
              {r.open_alerts}
            </Tag>
          </Link>
        ) : (
          <Typography.Text type="secondary">0</Typography.Text>
        ),
    },
    ...(canManage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 140,
            render: (_: unknown, r: Rule) => (
              <Space size={4}>
                <Button size="small" onClick={() => setEditing(r)} data-testid="rule-edit">
                  {t('alerts.edit')}
                </Button>
                <Popconfirm
                  title={t('alerts.rules.deleteConfirm', { name: r.name })}
                  okText={t('common.delete')}
                  okButtonProps={{ danger: true }}
                  cancelText={t('common.cancel')}
                  onConfirm={() =>
                    remove.mutate(r.id, {
                      ...failed,
                      onSuccess: () => void message.success(t('alerts.rules.deleted', { name: r.name })),
                    })
                  }
                >
                  <Button size="small" danger data-testid="rule-delete">
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={t('alerts.rules.title')}
        subtitle={t('alerts.rules.subtitle')}
        testId="rules-title"
        extra={
          canManage ? (
            <>
              <Button
                icon={<ThunderboltOutlined />}
                loading={evaluate.isPending}
                onClick={runNow}
                data-testid="rules-evaluate"
              >
                {t('alerts.rules.evaluate')}
              </Button>
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setEditing('new')}
                data-testid="rule-create"
              >
                {t('alerts.rules.create')}
              </Button>
            </>
          ) : null
        }
      />
      {evaluated ? (
        <Alert
          type={evaluated.fired > 0 ? 'warning' : 'success'}
          showIcon
          closable
          onClose={() => setEvaluated(null)}
          style={{ marginBottom: 16 }}
          message={t('alerts.rules.evaluated', { ...evaluated })}
          action={
            evaluated.fired > 0 ? <Link to={paths.modules.alerts}>{t('alerts.rules.seeAlerts')}</Link> : undefined
          }
          data-testid="evaluate-result"
        />
      ) : null}
      {rules.error ? <ProblemAlert error={rules.error} onRetry={() => void rules.refetch()} /> : null}
      <Table<Rule>
        rowKey="id"
        loading={rules.isPending}
        columns={columns}
        dataSource={rules.data ?? []}
        locale={{ emptyText: t(canManage ? 'alerts.rules.emptyManage' : 'alerts.rules.empty') }}
        pagination={false}
        scroll={{ x: 960 }}
        data-testid="rule-table"
      />
      <RuleFormModal
        open={editing !== null}
        rule={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
        onSaved={(saved) => void message.success(t('alerts.rules.saved', { name: saved.name }))}
      />
    </>
  );
}
