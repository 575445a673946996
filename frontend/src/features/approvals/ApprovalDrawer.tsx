import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Descriptions, Drawer, Flex, Form, Input, Skeleton, Steps, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { BudgetLinesTable } from '@/components/BudgetLinesTable';
import { ProblemAlert } from '@/components/ProblemAlert';
import { BudgetRequestFacts } from '@/lib/financePanels';
import { formatDateTime, formatDay, formatMoney, type DisplayLocale } from '@/lib/format';
import { projectPath } from '@/lib/paths';
import { APPROVAL_STATE_COLORS } from '@/lib/projects';
import { roleLabelKey } from '@/lib/roles';
import { useSession } from '@/lib/session';
import { approvalQuery, subjectProjectQuery, useDecide, type Decision, type SubjectProject } from './api';

/** What the approver decides on: the project's dates, goals, description and budget lines. */
function ProjectFacts({ project, locale }: { project: SubjectProject; locale: DisplayLocale }) {
  const { t } = useTranslation();
  const none = <Typography.Text type="secondary">{t('approvals.project.none')}</Typography.Text>;
  return (
    <div data-testid="approval-project">
      <Typography.Title level={5}>{t('approvals.project.title')}</Typography.Title>
      <Flex vertical gap={12}>
        <Descriptions column={1} size="small" bordered>
          <Descriptions.Item label={t('approvals.project.dates')}>
            <span data-testid="approval-project-dates">
              {formatDay(project.starts_on, locale)} – {formatDay(project.ends_on, locale)}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('approvals.project.goals')}>
            {project.goal_links.length === 0 ? (
              none
            ) : (
              <Flex vertical gap={2} data-testid="approval-project-goals">
                {project.goal_links.map((g) => (
                  <span key={`${g.objective_id}-${g.key_result_id ?? ''}`}>
                    {g.objective_title}
                    {g.key_result_name ? (
                      <Typography.Text type="secondary"> · {g.key_result_name}</Typography.Text>
                    ) : null}
                  </span>
                ))}
              </Flex>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('approvals.project.description')}>
            {project.description ? (
              <Typography.Paragraph
                style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}
                data-testid="approval-project-description"
              >
                {project.description}
              </Typography.Paragraph>
            ) : (
              none
            )}
          </Descriptions.Item>
        </Descriptions>
        <BudgetLinesTable
          lines={project.budget_lines}
          currency={project.currency}
          total={project.total_budget}
          testId="approval-project-budget"
          title={<Typography.Text strong>{t('approvals.project.budget')}</Typography.Text>}
          emptyText={t('approvals.project.none')}
        />
      </Flex>
    </div>
  );
}

interface ApprovalDrawerProps {
  approvalId: string | null;
  open: boolean;
  onClose: () => void;
  locale: DisplayLocale;
}

/** One request: what is asked, its steps and history, and approve / reject when it is the reader's turn. */
export function ApprovalDrawer({ approvalId, open, onClose, locale }: ApprovalDrawerProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useSession();
  const detail = useQuery({ ...approvalQuery(approvalId ?? ''), enabled: !!approvalId });
  const isProject = detail.data?.request_type === 'project_initiation';
  const project = useQuery({ ...subjectProjectQuery(detail.data?.subject_id ?? ''), enabled: open && isProject });
  const decide = useDecide(approvalId ?? '');
  const [comment, setComment] = useState('');
  const [commentError, setCommentError] = useState<string | null>(null);
  const a = detail.data;

  const send = (decision: Decision) => {
    if (decision === 'reject' && !comment.trim()) {
      setCommentError(t('approvals.rejectNeedsComment'));
      return;
    }
    setCommentError(null);
    decide.mutate(
      { decision, comment: comment.trim() },
      {
        onSuccess: () => {
          void message.success(t(decision === 'approve' ? 'approvals.approved' : 'approvals.rejected'));
          setComment('');
          onClose();
        },
      },
    );
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={560}
      title={a ? a.title : t('approvals.detail')}
      destroyOnHidden
      data-testid="approval-drawer"
    >
      {detail.error ? <ProblemAlert error={detail.error} /> : null}
      {!a ? (
        <Skeleton active />
      ) : (
        <Flex vertical gap={20}>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('approvals.fields.type')}>
              {t(`approvals.types.${a.request_type}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t('approvals.fields.subject')}>
              {a.request_type === 'project_initiation' ? (
                <Link to={projectPath(a.subject_id)} data-testid="approval-subject-link">
                  {a.title}
                </Link>
              ) : (
                a.title
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('approvals.fields.amount')}>
              <span data-testid="approval-amount">{formatMoney(a.amount, a.currency, locale)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('approvals.fields.requester')}>{a.requested_by_name}</Descriptions.Item>
            <Descriptions.Item label={t('approvals.fields.state')}>
              <Tag color={APPROVAL_STATE_COLORS[a.state]} data-testid="approval-drawer-state">
                {t(`approvals.state.${a.state}`)}
              </Tag>
              {a.waiting_for_role ? (
                <Typography.Text type="secondary">
                  {t('approvals.waitingFor', { role: t(roleLabelKey(a.waiting_for_role)) })}
                </Typography.Text>
              ) : null}
            </Descriptions.Item>
            <Descriptions.Item label={t('approvals.fields.requestedAt')}>
              {formatDateTime(a.created_at, me.org.timezone)}
            </Descriptions.Item>
          </Descriptions>

          {isProject && project.data ? <ProjectFacts project={project.data} locale={locale} /> : null}
          {a.request_type === 'budget_request' ? <BudgetRequestFacts budgetRequestId={a.subject_id} /> : null}

          <div>
            <Typography.Title level={5}>{t('approvals.steps')}</Typography.Title>
            <Steps
              size="small"
              direction="vertical"
              current={a.state === 'pending' ? (a.current_step ?? 0) : a.steps.length}
              status={a.state === 'rejected' ? 'error' : undefined}
              items={a.steps.map((s) => ({
                title: t(roleLabelKey(s.role)),
                description: s.min_amount
                  ? t('approvals.stepAbove', { amount: formatMoney(s.min_amount, a.currency, locale) })
                  : undefined,
              }))}
            />
          </div>

          <div>
            <Typography.Title level={5}>{t('approvals.history')}</Typography.Title>
            <Timeline
              data-testid="approval-history"
              items={[
                {
                  color: 'blue',
                  children: (
                    <span data-testid="approval-submission">
                      <Typography.Text strong>{a.submission.submitted_by_name}</Typography.Text>{' '}
                      {t('approvals.submitted')}
                      <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
                        {formatDateTime(a.submission.submitted_at, me.org.timezone)}
                      </Typography.Text>
                    </span>
                  ),
                },
                ...a.history.map((r) => ({
                  color: r.decision === 'approve' ? 'green' : 'red',
                  children: (
                    <Flex vertical gap={2}>
                      <span>
                        <Typography.Text strong>{r.decided_by_name}</Typography.Text>{' '}
                        {t(`approvals.decision.${r.decision}`)}
                        <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
                          {formatDateTime(r.created_at, me.org.timezone)}
                        </Typography.Text>
                      </span>
                      {r.comment ? <Typography.Text type="secondary">“{r.comment}”</Typography.Text> : null}
                    </Flex>
                  ),
                })),
              ]}
            />
          </div>

          {a.can_decide ? (
            <div data-testid="approval-decide">
              <Typography.Title level={5}>{t('approvals.yourDecision')}</Typography.Title>
              {decide.error ? <ProblemAlert error={decide.error} /> : null}
              <Form.Item
                validateStatus={commentError ? 'error' : undefined}
                help={commentError ?? t('approvals.commentHint')}
                style={{ marginBottom: 12 }}
              >
                <Input.TextArea
                  rows={3}
                  maxLength={2000}
                  value={comment}
                  onChange={(e) => {
                    setComment(e.target.value);
                    if (e.target.value.trim()) setCommentError(null);
                  }}
                  placeholder={t('approvals.commentPlaceholder')}
                  data-testid="approval-comment"
                />
              </Form.Item>
              <Flex gap={8}>
                <Button
                  type="primary"
                  icon={<CheckOutlined />}
                  loading={decide.isPending && decide.variables.decision === 'approve'}
                  disabled={decide.isPending}
                  onClick={() => send('approve')}
                  data-testid="approval-approve"
                >
                  {t('approvals.approve')}
                </Button>
                <Button
                  danger
                  icon={<CloseOutlined />}
                  loading={decide.isPending && decide.variables.decision === 'reject'}
                  disabled={decide.isPending}
                  onClick={() => send('reject')}
                  data-testid="approval-reject"
                >
                  {t('approvals.reject')}
                </Button>
              </Flex>
            </div>
          ) : null}
        </Flex>
      )}
    </Drawer>
  );
}
