import { Button, Flex, Popconfirm, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { actionButtons, type TransitionAction } from '@/lib/projects';

interface ProjectActionsProps {
  /** `allowed_actions` from the server: what the caller may do now. */
  allowed: readonly string[];
  onAction: (action: TransitionAction) => void;
  /** The action being sent, shown as loading; the others are disabled meanwhile. */
  pending?: TransitionAction | null;
  /** Actions the server allows but that cannot succeed yet, with why (e.g. 结项 before the 复盘). */
  blocked?: Partial<Record<TransitionAction, string>>;
}

/** The lifecycle buttons (提交立项, 启动, …) for exactly the actions the server allows. */
export function ProjectActions({ allowed, onAction, pending = null, blocked = {} }: ProjectActionsProps) {
  const { t } = useTranslation();
  const buttons = actionButtons(allowed);
  if (buttons.length === 0) return null;
  return (
    <Flex gap={8} wrap data-testid="project-actions">
      {buttons.map(({ action, primary, danger, confirm }) => {
        const reason = blocked[action];
        if (reason) {
          // A disabled button gets no pointer events: the Tooltip wraps it so the reason still shows.
          return (
            <Tooltip key={action} title={reason}>
              <span style={{ display: 'inline-block', cursor: 'not-allowed' }} data-testid={`action-${action}-blocked`}>
                <Button
                  type={primary ? 'primary' : 'default'}
                  danger={danger}
                  disabled
                  style={{ pointerEvents: 'none' }}
                  data-testid={`action-${action}`}
                >
                  {t(`projects.actions.${action}`)}
                </Button>
              </span>
            </Tooltip>
          );
        }
        const button = (
          <Button
            key={action}
            type={primary ? 'primary' : 'default'}
            danger={danger}
            loading={pending === action}
            disabled={pending !== null && pending !== action}
            onClick={confirm ? undefined : () => onAction(action)}
            data-testid={`action-${action}`}
          >
            {t(`projects.actions.${action}`)}
          </Button>
        );
        return confirm ? (
          <Popconfirm
            key={action}
            title={t(`projects.actions.${action}`)}
            description={t(`projects.actions.confirm.${action}`)}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger, 'data-testid': 'action-confirm' }}
            onConfirm={() => onAction(action)}
          >
            {button}
          </Popconfirm>
        ) : (
          button
        );
      })}
    </Flex>
  );
}
