import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '@/api/errors';
import { errorText, fieldErrorText, fieldLabel, type ProblemTextOptions } from '@/lib/errorText';

interface ProblemAlertProps extends ProblemTextOptions {
  error: unknown;
  /** Shows a retry button, e.g. for a failed list load. */
  onRetry?: () => void;
  title?: string;
  testId?: string;
}

/**
 * Shows a failed call in the UI language (see errorText), with the fields at fault listed
 * by their labels (the form's `fieldLabels`, else the known ones).
 */
export function ProblemAlert({
  error,
  onRetry,
  title,
  testId = 'problem-alert',
  fieldLabels,
  action,
}: ProblemAlertProps) {
  const { t } = useTranslation();
  if (!error) return null;
  const fieldErrors = isApiError(error) ? error.errors.filter((e) => e.message || e.type) : [];
  const text = errorText(error, t, { fieldLabels, action });
  return (
    <Alert
      type="error"
      showIcon
      data-testid={testId}
      style={{ marginBottom: 16 }}
      message={title ?? text}
      description={
        title || fieldErrors.length > 0 ? (
          <>
            {title ? <div>{text}</div> : null}
            {fieldErrors.length > 0 ? (
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {fieldErrors.map((e) => (
                  <li key={`${e.field}-${e.type}-${e.message}`}>
                    {e.field ? `${fieldLabel(e.field, t, fieldLabels)}${t('problems.fieldSeparator')}` : ''}
                    {fieldErrorText(e, t)}
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        ) : undefined
      }
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}
