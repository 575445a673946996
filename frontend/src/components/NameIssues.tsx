import { Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { components } from '@/api/schema';

export type NameIssue = components['schemas']['NameIssueRead'];

/**
 * What is wrong with a project name, one line per issue, in the reader's language: the part at
 * fault by its label (期间, 品牌线), what the name holds there, and the values it may hold as
 * tags (品牌 / 电商 / …, or the periods that fit the project). Built from the check's
 * structured fields, so it follows the UI's language whatever the server's.
 */
export function NameIssues({ issues, form, example }: { issues: readonly NameIssue[]; form: string; example: string }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={2}>
      {issues.map((issue, i) => {
        const label = issue.label ?? '';
        const value = issue.value ?? '';
        let text: string;
        switch (issue.type) {
          case 'form':
            text = t('nameCheck.issues.form', { form, example });
            break;
          case 'period':
          case 'choice':
          case 'text':
            text = value
              ? t(`nameCheck.issues.${issue.type}`, { label, value })
              : t('nameCheck.issues.missing', { label });
            break;
          case 'too_long':
            text = t('nameCheck.issues.tooLong', { label, max: issue.max_length ?? 0 });
            break;
          case 'period_mismatch':
            text = t('nameCheck.issues.periodMismatch', { label, value });
            break;
          case 'duplicate':
            text = t('nameCheck.issues.duplicate');
            break;
          default:
            text = t('nameCheck.issues.empty');
        }
        return (
          <Flex
            key={`${issue.type}-${issue.part ?? i}`}
            wrap
            gap={4}
            align="center"
            data-testid="name-check-issue"
            data-type={issue.type}
            data-part={issue.part ?? undefined}
          >
            <Typography.Text type="danger">{text}</Typography.Text>
            {issue.allowed_values.length > 0 ? (
              <>
                <Typography.Text type="secondary">{t('nameCheck.issues.allowed')}</Typography.Text>
                {issue.allowed_values.map((v) => (
                  <Tag key={v} bordered={false} color="blue" data-testid="name-check-allowed">
                    {v}
                  </Tag>
                ))}
              </>
            ) : null}
          </Flex>
        );
      })}
    </Flex>
  );
}
