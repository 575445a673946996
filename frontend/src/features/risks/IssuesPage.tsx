import { ArrowLeftOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Descriptions,
  Flex,
  Input,
  Modal,
  Popconfirm,
  Segmented,
  Select,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { PageHeader } from '@/components/PageHeader';
import { ProblemAlert } from '@/components/ProblemAlert';
import { SubjectDiscussion } from '@/lib/collab';
import { errorText } from '@/lib/errorText';
import { formatDay, type DisplayLocale } from '@/lib/format';
import { projectPath } from '@/lib/paths';
import { hasPermission } from '@/lib/permissions';
import { useSession } from '@/lib/session';
import {
  issueQuery,
  issuesQuery,
  projectQuery,
  useIssueStep,
  type Issue,
  type IssueAction,
  type IssueStatus,
} from './api';
import { actionsFor, RISK_LEVEL_COLORS, riskLevel, SEVERITY_COLORS, STATUS_COLORS, STATUSES } from './model';
import { RaiseIssueModal } from './RaiseIssueModal';

const PAGE_SIZE = 20;

function ScoreTag({ issue }: { issue: Issue }) {
  const { t } = useTranslation();
  if (issue.risk_score == null) return <Typography.Text type="secondary">—</Typography.Text>;
  const level = riskLevel(issue.risk_score);
  return (
    <Tooltip title={t('issues.scoreHint', { probability: issue.probability, impact: issue.impact })}>
      <Tag color={RISK_LEVEL_COLORS[level]} data-testid="issue-score">
        {issue.risk_score} · {t(`issues.levels.${level}`)}
      </Tag>
    </Tooltip>
  );
}

/** 问题与风险: a project's issue and risk log — raise, resolve, close, reopen. */
export function IssuesPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as DisplayLocale;
  const { message } = App.useApp();
  const { projectId = '' } = useParams();
  const me = useSession();
  const canWrite = hasPermission(me, 'work:write');
  const [params, setParams] = useSearchParams();
  const kindParam = params.get('kind');
  const kind = kindParam === 'issue' || kindParam === 'risk' ? kindParam : undefined;
  const statusParam = params.get('status');
  const status = STATUSES.includes(statusParam as IssueStatus) ? (statusParam as IssueStatus) : undefined;
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const [raising, setRaising] = useState(false);
  const [resolving, setResolving] = useState<Issue | null>(null);
  const [resolution, setResolution] = useState('');
  const project = useQuery(projectQuery(projectId));
  const list = useQuery(issuesQuery(projectId, { kind, status, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }));
  const step = useIssueStep();
  // The issue whose details are open (`?issue=`, e.g. from a notification): from the page of the
  // log shown, else read on its own.
  const openId = params.get('issue');
  const listed = openId ? list.data?.items.find((i) => i.id === openId) : undefined;
  const single = useQuery({
    ...issueQuery(openId ?? ''),
    enabled: !!openId && !listed && !list.isPending,
    retry: false,
  });
  const open: Issue | null = listed ?? (single.data?.project_id === projectId ? single.data : null) ?? null;
  const setOpen = (issue: Issue | null) => {
    const next = new URLSearchParams(params);
    if (issue) next.set('issue', issue.id);
    else next.delete('issue');
    setParams(next, { replace: true });
  };

  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  };

  const run = (issue: Issue, action: IssueAction, why?: string) =>
    step.mutate(
      { issue, action, resolution: why },
      {
        onSuccess: () => {
          setResolving(null);
          setResolution('');
          void message.success(t(`issues.done.${action}`, { title: issue.title }));
        },
        onError: (error) => void message.error(errorText(error, t)),
      },
    );

  const actionButton = (issue: Issue, action: IssueAction) => {
    const pending = step.isPending && step.variables?.issue.id === issue.id && step.variables.action === action;
    const button = (
      <Button
        key={action}
        size="small"
        type={action === 'resolve' ? 'primary' : 'default'}
        loading={pending}
        onClick={
          action === 'resolve' ? () => setResolving(issue) : action === 'reopen' ? () => run(issue, action) : undefined
        }
        data-testid={`issue-action-${action}`}
      >
        {t(`issues.actions.${action}`)}
      </Button>
    );
    if (action !== 'close') return button;
    return (
      <Popconfirm
        key={action}
        title={t('issues.closeConfirm', { title: issue.title })}
        okText={t('issues.actions.close')}
        cancelText={t('common.cancel')}
        onConfirm={() => run(issue, 'close')}
      >
        {button}
      </Popconfirm>
    );
  };

  const columns: ColumnsType<Issue> = [
    {
      title: t('issues.fields.title'),
      dataIndex: 'title',
      render: (_, issue) => (
        <Flex vertical gap={2}>
          <Flex gap={6} align="center" wrap>
            <Tag color={issue.kind === 'risk' ? 'purple' : 'volcano'}>{t(`issues.kinds.${issue.kind}`)}</Tag>
            <Typography.Link onClick={() => setOpen(issue)} data-testid="issue-title-link">
              {issue.title}
            </Typography.Link>
          </Flex>
          {issue.resolution ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('issues.fields.resolution')}：{issue.resolution}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    {
      title: t('issues.fields.severity'),
      dataIndex: 'severity',
      width: 90,
      render: (_, issue) => (
        <Tag color={SEVERITY_COLORS[issue.severity]}>{t(`issues.severities.${issue.severity}`)}</Tag>
      ),
    },
    { title: t('issues.fields.score'), key: 'score', width: 120, render: (_, issue) => <ScoreTag issue={issue} /> },
    {
      title: t('issues.fields.owner'),
      dataIndex: 'owner_name',
      width: 120,
      render: (_, issue) => issue.owner_name ?? <Typography.Text type="secondary">—</Typography.Text>,
    },
    {
      title: t('issues.fields.due'),
      dataIndex: 'due_on',
      width: 150,
      render: (_, issue) => (
        <Flex gap={4} align="center" wrap>
          <Typography.Text type={issue.overdue ? 'danger' : undefined}>
            {formatDay(issue.due_on, locale)}
          </Typography.Text>
          {issue.overdue ? (
            <Tag color="red" data-testid="issue-overdue">
              {t('issues.overdue')}
            </Tag>
          ) : null}
        </Flex>
      ),
    },
    {
      title: t('issues.fields.status'),
      dataIndex: 'status',
      width: 140,
      render: (_, issue) => (
        <Flex gap={4} wrap>
          <Tag color={STATUS_COLORS[issue.status]} data-testid="issue-status">
            {t(`issues.statuses.${issue.status}`)}
          </Tag>
          {issue.escalation !== 'none' ? (
            <Tooltip title={t(`issues.escalationHint.${issue.escalation}`)}>
              <Tag color="magenta">{t(`issues.escalations.${issue.escalation}`)}</Tag>
            </Tooltip>
          ) : null}
        </Flex>
      ),
    },
    ...(canWrite
      ? [
          {
            title: t('issues.fields.actions'),
            key: 'actions',
            width: 170,
            render: (_: unknown, issue: Issue) => (
              <Flex gap={4} wrap>
                {actionsFor(issue.status).map((action) => actionButton(issue, action))}
              </Flex>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={t('issues.title')}
        subtitle={
          project.data ? (
            <Link to={projectPath(projectId)} data-testid="issues-project-link">
              <ArrowLeftOutlined /> {project.data.code} · {project.data.name}
            </Link>
          ) : undefined
        }
        testId="issues-page"
        extra={
          canWrite ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setRaising(true)} data-testid="issue-raise">
              {t('issues.raise.button')}
            </Button>
          ) : null
        }
      />
      <Card variant="borderless">
        <Flex gap={12} wrap style={{ marginBottom: 16 }}>
          <Segmented
            value={kind ?? 'all'}
            onChange={(value) => update({ kind: value === 'all' ? undefined : value })}
            options={[
              { value: 'all', label: t('issues.all') },
              { value: 'issue', label: t('issues.kinds.issue') },
              { value: 'risk', label: t('issues.kinds.risk') },
            ]}
            data-testid="issue-kind-filter"
          />
          <Select
            allowClear
            style={{ width: 160 }}
            placeholder={t('issues.anyStatus')}
            value={status}
            onChange={(value?: IssueStatus) => update({ status: value })}
            options={STATUSES.map((s) => ({ value: s, label: t(`issues.statuses.${s}`) }))}
            data-testid="issue-status-filter"
          />
        </Flex>
        {list.isError ? <ProblemAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
        {openId && single.isError ? <ProblemAlert error={single.error} /> : null}
        <Table<Issue>
          rowKey="id"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isPending}
          locale={{ emptyText: t('issues.empty') }}
          scroll={{ x: 900 }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: list.data?.total ?? 0,
            onChange: (p) => update({ page: String(p) }),
            hideOnSinglePage: true,
          }}
          data-testid="issues-table"
        />
      </Card>
      <RaiseIssueModal
        projectId={projectId}
        open={raising}
        onClose={() => setRaising(false)}
        onRaised={(issue) => void message.success(t('issues.raise.done', { title: issue.title }))}
      />
      <Modal
        open={resolving !== null}
        title={t('issues.resolveTitle', { title: resolving?.title ?? '' })}
        okText={t('issues.actions.resolve')}
        cancelText={t('common.cancel')}
        okButtonProps={{ disabled: !resolution.trim(), 'data-testid': 'issue-resolve-submit' }}
        confirmLoading={step.isPending}
        onOk={() => resolving && run(resolving, 'resolve', resolution.trim())}
        onCancel={() => setResolving(null)}
        destroyOnHidden
      >
        <Input.TextArea
          autoFocus
          autoSize={{ minRows: 3, maxRows: 8 }}
          maxLength={5000}
          placeholder={t('issues.resolutionPlaceholder')}
          value={resolution}
          onChange={(e) => setResolution(e.target.value)}
          data-testid="issue-resolution"
        />
      </Modal>
      <Modal
        open={open !== null}
        title={open?.title}
        footer={null}
        width={720}
        onCancel={() => setOpen(null)}
        destroyOnHidden
      >
        {open ? (
          <Descriptions column={2} size="small" data-testid="issue-detail">
            <Descriptions.Item label={t('issues.fields.kind')}>{t(`issues.kinds.${open.kind}`)}</Descriptions.Item>
            <Descriptions.Item label={t('issues.fields.status')}>
              {t(`issues.statuses.${open.status}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t('issues.fields.severity')}>
              {t(`issues.severities.${open.severity}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t('issues.fields.score')}>
              <ScoreTag issue={open} />
            </Descriptions.Item>
            <Descriptions.Item label={t('issues.fields.owner')}>{open.owner_name ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('issues.fields.due')}>{formatDay(open.due_on, locale)}</Descriptions.Item>
            <Descriptions.Item label={t('issues.fields.description')} span={2}>
              <span style={{ whiteSpace: 'pre-wrap' }}>{open.description ?? '—'}</span>
            </Descriptions.Item>
            {open.resolution ? (
              <Descriptions.Item label={t('issues.fields.resolution')} span={2}>
                <span style={{ whiteSpace: 'pre-wrap' }}>{open.resolution}</span>
              </Descriptions.Item>
            ) : null}
          </Descriptions>
        ) : null}
        {open ? <SubjectDiscussion subjectType="issue" subjectId={open.id} /> : null}
      </Modal>
    </>
  );
}
