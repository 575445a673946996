import { Button, Flex, Popover, Progress, Slider } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

const STEPS = [0, 25, 50, 75, 100];

/**
 * A task's progress bar; when `onChange` is given (the assignee, or a manager), clicking it
 * opens a slider and quick steps to report new progress.
 */
export function ProgressControl({
  progress,
  onChange,
  pending,
  testId,
}: {
  progress: number;
  onChange?: (progress: number) => void;
  pending?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState(progress);
  const bar = (
    <Progress
      percent={progress}
      size="small"
      status={progress >= 100 ? 'success' : 'normal'}
      style={{ margin: 0, minWidth: 90 }}
      aria-label={t('progress.label', { percent: progress })}
    />
  );
  if (!onChange) return <div data-testid={testId}>{bar}</div>;
  const commit = (value: number) => {
    setOpen(false);
    if (value !== progress) onChange(value);
  };
  return (
    <Popover
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) setDraft(progress);
      }}
      trigger="click"
      title={t('progress.update')}
      content={
        <Flex vertical gap={8} style={{ width: 240 }} data-testid="progress-editor">
          <Slider min={0} max={100} step={5} value={draft} onChange={setDraft} />
          <Flex gap={4} wrap>
            {STEPS.map((step) => (
              <Button
                key={step}
                size="small"
                type={step === draft ? 'primary' : 'default'}
                onClick={() => commit(step)}
                data-testid={`progress-step-${step}`}
              >
                {step}%
              </Button>
            ))}
          </Flex>
          <Button type="primary" size="small" onClick={() => commit(draft)} data-testid="progress-save">
            {t('progress.saveAs', { percent: draft })}
          </Button>
        </Flex>
      }
    >
      <button
        type="button"
        data-testid={testId}
        disabled={pending}
        title={t('progress.update')}
        style={{ all: 'unset', cursor: 'pointer', display: 'block', width: '100%' }}
      >
        {bar}
      </button>
    </Popover>
  );
}
