import { CheckCircleFilled, CloseCircleFilled, InfoCircleOutlined, LoadingOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { NameIssues } from '@/components/NameIssues';
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
    const { expected_form: form, example, issues } = check.result;
    // Each issue names the part at fault and what it may hold; the form is the reminder.
    content = (
      <Flex gap={6} align="start" data-state="bad">
        <Typography.Text type="danger">
          <CloseCircleFilled />
        </Typography.Text>
        <Flex vertical gap={2}>
          <NameIssues issues={issues} form={form} example={example} />
          {form && !issues.some((i) => i.type === 'form' || i.type === 'duplicate') ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('projects.naming.rule', { form, example })}
            </Typography.Text>
          ) : null}
        </Flex>
      </Flex>
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
