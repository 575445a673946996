import { FlagOutlined, SaveOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Form,
  Input,
  List,
  Modal,
  Row,
  Segmented,
  Select,
  Skeleton,
  Space,
  Switch,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ProblemAlert } from '@/components/ProblemAlert';
import { formatDateTime, formatDay } from '@/lib/format';
import { useSession } from '@/lib/session';
import {
  ganttQuery,
  phasesQuery,
  tasksQuery,
  useCreateBaseline,
  useCreateDependency,
  useDeleteDependency,
  useUpdateTask,
  type Gantt,
  type ProjectDetail,
} from './api';
import { WorkFrame } from './components';
import { useLocale, useShowMoved, useTaskParam } from './hooks';
import { GanttChart, type GanttZoom } from './gantt/GanttChart';
import { isPhaseRow, moveBody, toChart } from './ganttView';
import { mayEditPlan, wbsOrder } from './model';
import { TaskFormModal } from './TaskFormModal';

function SaveBaselineButton({ projectId, onSaved }: { projectId: string; onSaved: (id: string) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const create = useCreateBaseline(projectId);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ name: string }>();
  return (
    <>
      <Button
        icon={<SaveOutlined />}
        onClick={() => {
          form.setFieldsValue({ name: t('work.gantt.baselineNameDefault', { date: dayjs().format('YYYY-MM-DD') }) });
          setOpen(true);
        }}
        data-testid="baseline-save"
      >
        {t('work.gantt.saveBaseline')}
      </Button>
      <Modal
        open={open}
        title={t('work.gantt.saveBaseline')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={create.isPending}
        okButtonProps={{ 'data-testid': 'baseline-submit' }}
        onCancel={() => setOpen(false)}
        onOk={() =>
          void form.validateFields().then(
            ({ name }) =>
              create.mutate(name.trim(), {
                onSuccess: (baseline) => {
                  void message.success(t('work.gantt.baselineSaved'));
                  setOpen(false);
                  onSaved(baseline.id);
                },
              }),
            () => undefined,
          )
        }
      >
        {create.error ? <ProblemAlert error={create.error} /> : null}
        <Form form={form} layout="vertical">
          <Form.Item
            name="name"
            label={t('work.gantt.baselineName')}
            rules={[{ required: true, whitespace: true, max: 200 }]}
          >
            <Input data-testid="baseline-name" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function SlippedMilestones({ gantt }: { gantt: Gantt }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <Card size="small" title={t('work.gantt.slipped')} data-testid="slipped-milestones">
      {gantt.baseline_id === null ? (
        <Typography.Text type="secondary">{t('work.gantt.noBaseline')}</Typography.Text>
      ) : gantt.slipped_milestones.length === 0 ? (
        <Typography.Text type="success">{t('work.gantt.slippedNone')}</Typography.Text>
      ) : (
        <List
          size="small"
          dataSource={gantt.slipped_milestones}
          renderItem={(slip) => (
            <List.Item data-testid="slipped-milestone" style={{ paddingInline: 0 }}>
              <Flex vertical>
                <Typography.Text strong>
                  <FlagOutlined style={{ color: '#722ed1' }} /> {slip.title}
                </Typography.Text>
                <Typography.Text type="danger" style={{ fontSize: 12 }}>
                  {t('work.gantt.slippedLine', {
                    planned: formatDay(slip.planned, locale),
                    now: formatDay(slip.now, locale),
                    days: slip.working_days,
                  })}
                </Typography.Text>
              </Flex>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

function GanttView({ project }: { project: ProjectDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useSession();
  const locale = useLocale();
  const [zoom, setZoom] = useState<GanttZoom>('day');
  const [showCritical, setShowCritical] = useState(true);
  const [showBaseline, setShowBaseline] = useState(true);
  const [baselineId, setBaselineId] = useState<string | null>(null);
  const gantt = useQuery(ganttQuery(project.id, baselineId));
  const update = useUpdateTask(project.id);
  const link = useCreateDependency(project.id);
  const unlink = useDeleteDependency(project.id);
  const showMoved = useShowMoved();
  const { taskParam, open, close } = useTaskParam();
  const readOnly = !mayEditPlan(me, project);
  // The task form needs full tasks; loaded only once someone opens one.
  const fullTasks = useQuery({ ...tasksQuery(project.id), enabled: !!taskParam });
  const phases = useQuery({ ...phasesQuery(project.id), enabled: !!taskParam });

  const data = gantt.data;
  const chart = useMemo(
    () => (data ? toChart(data, { showCritical }) : { tasks: [], links: [] }),
    [data, showCritical],
  );
  const ordered = useMemo(() => wbsOrder(fullTasks.data ?? [], phases.data ?? []), [fullTasks.data, phases.data]);
  const editing = taskParam ? (ordered.find((x) => x.id === taskParam) ?? null) : null;

  const move = (id: string, start: string, end: string) => {
    const task = data?.tasks.find((x) => x.id === id);
    if (!task) return;
    link.reset();
    update.mutate(
      { taskId: id, body: moveBody(task, start, end) },
      {
        onSuccess: (change) => {
          void message.success(
            t('work.gantt.moveSaved', {
              title: task.title,
              start: formatDay(change.task.starts_on, locale),
              end: formatDay(change.task.due_on, locale),
            }),
          );
          showMoved(change.moved.filter((m) => m.task_id !== id));
        },
      },
    );
  };

  const createLink = (predecessorId: string, successorId: string, type: 'FS' | 'SS' | 'FF' | 'SF') => {
    // A phase row is not a task: links join tasks (link its tasks instead).
    if (isPhaseRow(predecessorId) || isPhaseRow(successorId)) return;
    update.reset();
    link.mutate(
      { predecessor_id: predecessorId, successor_id: successorId, type, lag_days: 0 },
      {
        onSuccess: (change) => {
          void message.success(t('work.gantt.linked'));
          showMoved(change.moved);
        },
      },
    );
  };

  const deleteLink = (id: string) =>
    unlink.mutate(id, {
      onSuccess: (change) => {
        void message.success(t('work.gantt.unlinked'));
        showMoved(change.moved);
      },
    });

  if (gantt.error) return <ProblemAlert error={gantt.error} onRetry={() => void gantt.refetch()} />;
  if (!data) {
    return (
      <Card variant="borderless">
        <Skeleton active />
      </Card>
    );
  }
  const failure = update.error ?? link.error ?? unlink.error;
  return (
    <Flex vertical gap={16}>
      <Card variant="borderless" styles={{ body: { padding: 12 } }}>
        <Flex gap={16} wrap align="center" justify="space-between" style={{ marginBottom: 12 }}>
          <Space wrap size={16}>
            <Segmented<GanttZoom>
              value={zoom}
              onChange={setZoom}
              data-testid="gantt-zoom"
              options={(['day', 'week', 'month'] as const).map((z) => ({ value: z, label: t(`work.gantt.zoom.${z}`) }))}
            />
            <Space>
              <Switch checked={showCritical} onChange={setShowCritical} size="small" data-testid="gantt-critical" />
              <Typography.Text>{t('work.gantt.critical')}</Typography.Text>
            </Space>
            <Space>
              <Typography.Text>{t('work.gantt.baseline')}</Typography.Text>
              <Select
                style={{ minWidth: 220 }}
                // Without a choice the server compares against the latest baseline.
                value={data.baseline_id ?? undefined}
                placeholder={t('work.gantt.noBaseline')}
                onChange={(id: string) => {
                  setBaselineId(id);
                  setShowBaseline(true);
                }}
                data-testid="gantt-baseline"
                options={data.baselines.map((b) => ({
                  value: b.id,
                  label: `${b.name} · ${formatDateTime(b.created_at, me.org.timezone)}`,
                }))}
                disabled={data.baselines.length === 0}
              />
              <Switch
                checked={showBaseline && data.baseline_id !== null}
                disabled={data.baseline_id === null}
                onChange={setShowBaseline}
                size="small"
                checkedChildren={t('work.gantt.showBaseline')}
                unCheckedChildren={t('work.gantt.showBaseline')}
                data-testid="gantt-show-baseline"
              />
            </Space>
          </Space>
          <Space wrap>
            <Typography.Text type="secondary" data-testid="gantt-finish">
              {t('work.gantt.finish')}: {formatDay(data.project.finish, locale)}
            </Typography.Text>
            {readOnly ? null : (
              <SaveBaselineButton projectId={project.id} onSaved={(id) => (setBaselineId(id), setShowBaseline(true))} />
            )}
          </Space>
        </Flex>
        {readOnly ? (
          <Alert type="info" showIcon message={t('work.gantt.readOnly')} style={{ marginBottom: 12 }} />
        ) : null}
        {/* A refused move or link (a cycle is a 422 naming the tasks) in the UI language. */}
        {failure ? <ProblemAlert error={failure} testId="gantt-problem" /> : null}
        {data.tasks.length === 0 ? (
          <Empty description={t('work.gantt.empty')} />
        ) : (
          <div data-testid="gantt-chart">
            <GanttChart
              tasks={chart.tasks}
              links={chart.links}
              today={data.today}
              nonWorkingDays={data.non_working_days}
              zoom={zoom}
              showBaseline={showBaseline && data.baseline_id !== null}
              readOnly={readOnly}
              height={Math.min(720, Math.max(320, 80 + chart.tasks.length * (showBaseline ? 40 : 34)))}
              onTaskMove={move}
              onLinkCreate={createLink}
              onLinkDelete={deleteLink}
              onTaskOpen={(id) => {
                if (!isPhaseRow(id)) open(id);
              }}
            />
          </div>
        )}
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <SlippedMilestones gantt={data} />
        </Col>
      </Row>
      {editing ? (
        <TaskFormModal
          project={project}
          phases={phases.data ?? []}
          tasks={ordered}
          task={editing}
          planEditable={!readOnly}
          open
          onClose={close}
        />
      ) : null}
    </Flex>
  );
}

/** /projects/:id/gantt — the plan on a time line: drag to reschedule, draw links, compare a baseline. */
export function GanttPage() {
  const { projectId = '' } = useParams();
  return (
    <WorkFrame projectId={projectId} view="gantt">
      {(project) => <GanttView project={project} />}
    </WorkFrame>
  );
}
