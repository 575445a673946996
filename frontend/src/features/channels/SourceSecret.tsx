import { useQuery } from '@tanstack/react-query';
import { App, Button, Descriptions, Popconfirm, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '@/components/ProblemAlert';
import { errorText } from '@/lib/errorText';
import { sourceSecretQuery, useRotateSecret, type Source } from './api';

const MASK = '•'.repeat(16);

/**
 * A webhook source's signing secret (Meta: its app secret and the subscription's verify token),
 * hidden until a manager asks to see it. A MEMS webhook's secret can be replaced; Meta's app
 * secret is Meta's, so it is not made up here.
 */
export function SourceSecret({ source, canManage }: { source: Source; canManage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [shown, setShown] = useState(false);
  const secret = useQuery({ ...sourceSecretQuery(source.id), enabled: shown && canManage });
  const rotate = useRotateSecret();
  const meta = source.kind === 'meta';

  const value = (text: string | null | undefined, testId: string) =>
    shown && text ? (
      <Typography.Text code copyable data-testid={testId}>
        {text}
      </Typography.Text>
    ) : (
      <Typography.Text type="secondary">{MASK}</Typography.Text>
    );

  const renew = () =>
    rotate.mutate(source.id, {
      onSuccess: () => {
        setShown(true);
        void message.success(t('channels.secret.rotated'));
      },
      onError: (error) => void message.error(errorText(error, t)),
    });

  return (
    <section>
      <Typography.Title level={5}>{t('channels.secret.title')}</Typography.Title>
      {secret.error ? <ProblemAlert error={secret.error} /> : null}
      <Descriptions
        size="small"
        column={1}
        bordered
        items={[
          {
            key: 'secret',
            label: t(meta ? 'channels.sources.fields.appSecret' : 'channels.sources.fields.secret'),
            children: value(secret.data?.secret, 'source-secret-value'),
          },
          ...(meta
            ? [
                {
                  key: 'token',
                  label: t('channels.secret.verifyToken'),
                  children: value(secret.data?.verify_token, 'source-verify-token'),
                },
              ]
            : []),
        ]}
      />
      <Space style={{ marginTop: 8 }}>
        {canManage ? (
          <>
            <Button
              size="small"
              loading={shown && secret.isFetching}
              onClick={() => setShown(!shown)}
              data-testid="secret-reveal"
            >
              {t(shown ? 'channels.secret.hide' : 'channels.secret.show')}
            </Button>
            {meta ? null : (
              <Popconfirm
                title={t('channels.secret.rotateConfirm')}
                okText={t('channels.secret.rotate')}
                okButtonProps={{ danger: true }}
                cancelText={t('common.cancel')}
                onConfirm={renew}
              >
                <Button size="small" danger loading={rotate.isPending} data-testid="secret-rotate">
                  {t('channels.secret.rotate')}
                </Button>
              </Popconfirm>
            )}
          </>
        ) : (
          <Typography.Text type="secondary" data-testid="secret-managers-only">
            {t('channels.secret.managersOnly')}
          </Typography.Text>
        )}
      </Space>
    </section>
  );
}
