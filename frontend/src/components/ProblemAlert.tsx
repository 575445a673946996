import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '@/api/errors';
import { errorText } from '@/lib/errorText';

interface ProblemAlertProps {
  error: unknown;
  /** Shows a retry button, e.g. for a failed list load. */
  onRetry?: () => void;
  title?: string;
  testId?: string;
}

/** Shows a failed call the way the server described it, with field errors listed. */
export function ProblemAlert({ error, onRetry, title, testId = 'problem-alert' }: ProblemAlertProps) {
  const { t } = useTranslation();
  if (!error) return null;
  const fieldErrors = isApiError(error) ? error.errors.filter((e) => e.message) : [];
  return (
    <Alert
      type="error"
      showIcon
      data-testid={testId}
      style={{ marginBottom: 16 }}
      message={title ?? errorText(error, t)}
      description={
        title || fieldErrors.length > 0 ? (
          <>
            {title ? <div>{errorText(error, t)}</div> : null}
            {fieldErrors.length > 0 ? (
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {fieldErrors.map((e) => (
                  <li key={`${e.field}-${e.message}`}>
                    {e.field ? `${e.field.replace(/^body\./, '')}: ` : ''}
                    {e.message}
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
