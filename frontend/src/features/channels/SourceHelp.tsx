import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { todayIn } from '@/lib/format';
import { useSession } from '@/lib/session';
import type { Source } from './api';
import { restExample, signingExample } from './model';

function CodeBlock({ code, testId }: { code: string; testId: string }) {
  return (
    <Typography.Paragraph copyable={{ text: code }} style={{ marginBottom: 0 }}>
      <pre data-testid={testId} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12 }}>
        {code}
      </pre>
    </Typography.Paragraph>
  );
}

/** How to send to a source: MEMS's webhook signing with a curl example, Meta's setup, or the REST call. */
export function SourceHelp({ source, url }: { source: Source; url: string | null }) {
  const { t } = useTranslation();
  const me = useSession();
  const today = todayIn(me.org.timezone);

  if (source.kind === 'webhook' && url) {
    return (
      <section data-testid="source-help">
        <Typography.Title level={5}>{t('channels.help.webhookTitle')}</Typography.Title>
        <Typography.Paragraph>{t('channels.help.webhookIntro')}</Typography.Paragraph>
        <ul>
          <li>
            <Typography.Text code>X-MEMS-Timestamp</Typography.Text> {t('channels.help.timestamp')}
          </li>
          <li>
            <Typography.Text code>X-MEMS-Signature</Typography.Text> {t('channels.help.signature')}
          </li>
        </ul>
        <Typography.Paragraph type="secondary">{t('channels.help.webhookAnswers')}</Typography.Paragraph>
        <CodeBlock code={signingExample(url, today, t('channels.help.secretPlaceholder'))} testId="signing-example" />
      </section>
    );
  }
  if (source.kind === 'meta') {
    return (
      <section data-testid="source-help">
        <Typography.Title level={5}>{t('channels.help.metaTitle')}</Typography.Title>
        <Typography.Paragraph>{t('channels.help.meta')}</Typography.Paragraph>
      </section>
    );
  }
  if (source.kind === 'api') {
    return (
      <section data-testid="source-help">
        <Typography.Title level={5}>{t('channels.help.apiTitle')}</Typography.Title>
        <Typography.Paragraph>{t('channels.help.api')}</Typography.Paragraph>
        <CodeBlock
          code={restExample(window.location.origin, source.id, today, t('channels.help.tokenPlaceholder'))}
          testId="rest-example"
        />
      </section>
    );
  }
  return null;
}
