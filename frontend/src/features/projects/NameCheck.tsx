import { CheckCircleFilled, CloseCircleFilled, InfoCircleOutlined, LoadingOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { namingConventionQuery } from './api';
import type { NameCheckState } from './useNameCheck';

/**
 * The line under the name field: the rule before typing, then whether the name follows it
 * (green) or what it should look like (red).
 */
export function NameCheckHint({ check }: { check: NameCheckState }) {
  const { t } = useTranslation();
  const convention = useQuery(namingConventionQuery);
  const rule = convention.data?.enabled ? convention.data : null;

  let content;
  if (check.state === 'ok') {
    content = (
      <Typography.Text type="success" data-state="ok">
        <CheckCircleFilled /> {t('projects.naming.ok')}
        {check.result.expected_form ? ` · ${check.result.expected_form}` : ''}
      </Typography.Text>
    );
  } else if (check.state === 'bad') {
    const { expected_form: form, example, parts, problems } = check.result;
    content = (
      <Typography.Text type="danger" data-state="bad">
        <CloseCircleFilled /> {form ? t('projects.naming.bad', { form, example }) : t('projects.naming.empty')}
        {/* The form matched but a part broke a limit (e.g. too long): say which. */}
        {Object.keys(parts).length > 0 && problems.length > 0 ? ` (${problems.join('; ')})` : ''}
      </Typography.Text>
    );
  } else if (check.state === 'checking') {
    content = (
      <Typography.Text type="secondary" data-state="checking">
        <LoadingOutlined /> {t('projects.naming.checking')}
      </Typography.Text>
    );
  } else if (check.state === 'error') {
    content = (
      <Typography.Text type="warning" data-state="error">
        {t('projects.naming.checkFailed')}
      </Typography.Text>
    );
  } else if (rule) {
    content = (
      <Typography.Text type="secondary" data-state="idle">
        <InfoCircleOutlined /> {t('projects.naming.rule', { form: rule.expected_form, example: rule.example })}
      </Typography.Text>
    );
  } else {
    content = null;
  }
  return (
    <div data-testid="name-check" style={{ minHeight: 22, marginTop: 4 }}>
      {content}
    </div>
  );
}
