import { ApartmentOutlined, LockOutlined, MailOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Collapse, Flex, Form, Input, Typography, theme } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '@/api/errors';
import { LanguageSwitch } from '@/components/LanguageSwitch';
import { errorText } from '@/lib/errorText';
import { paths } from '@/lib/paths';
import { useMe } from '@/lib/session';
import { useLogin, type LoginRequest } from './api';

/** Where the guard sent the visitor from, so login can bring them back. */
function returnPath(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') && from !== paths.login
    ? from
    : paths.home;
}

/**
 * The headline is ours (localised); the server's own detail follows, so a
 * throttled or locked account says exactly what the server decided.
 */
function loginProblem(error: unknown, t: TFunction): { message: string; description?: string } {
  if (isApiError(error) && error.status === 401) {
    return { message: t('auth.invalidCredentials'), description: error.detail ?? undefined };
  }
  if (isApiError(error) && error.status === 429) {
    const parts = [error.detail, error.retryAfter ? t('auth.retryAfter', { seconds: error.retryAfter }) : null];
    return { message: t('auth.throttled'), description: parts.filter(Boolean).join(' ') || undefined };
  }
  return { message: errorText(error, t) };
}

export function LoginPage() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const navigate = useNavigate();
  const location = useLocation();
  const me = useMe();
  const login = useLogin();
  const [form] = Form.useForm<LoginRequest>();
  // `?org=<slug>&email=…` opens the login for one organisation (e.g. after joining it).
  const [search] = useSearchParams();
  const presetOrg = search.get('org')?.trim() || undefined;
  const presetEmail = search.get('email')?.trim() || undefined;

  if (me.data) return <Navigate to={returnPath(location.state)} replace />;

  const onFinish = (values: LoginRequest) => {
    login.mutate(
      { email: values.email.trim(), password: values.password, org: values.org?.trim() || undefined },
      { onSuccess: () => void navigate(returnPath(location.state), { replace: true }) },
    );
  };

  const error = login.error;
  const problem = error ? loginProblem(error, t) : null;

  return (
    <Flex style={{ minHeight: '100vh', background: token.colorBgLayout }} data-testid="login-page">
      <Flex
        vertical
        justify="space-between"
        className="login-brand"
        style={{
          flex: '0 0 42%',
          padding: '48px 56px',
          color: '#fff',
          background: 'linear-gradient(135deg, #0b3d91 0%, #1677ff 60%, #36cfc9 100%)',
        }}
      >
        <Typography.Title level={3} style={{ color: '#fff', margin: 0, letterSpacing: 1 }}>
          {t('app.name')}
        </Typography.Title>
        <div>
          <Typography.Title level={1} style={{ color: '#fff', marginBottom: 16 }}>
            {t('app.title')}
          </Typography.Title>
          <Typography.Paragraph style={{ color: 'rgba(255,255,255,0.88)', fontSize: 18, marginBottom: 8 }}>
            {t('app.slogan')}
          </Typography.Paragraph>
          <Typography.Paragraph style={{ color: 'rgba(255,255,255,0.72)', fontSize: 15 }}>
            {t('auth.pillars')}
          </Typography.Paragraph>
        </div>
        <Typography.Text style={{ color: 'rgba(255,255,255,0.6)' }}>© MEMS</Typography.Text>
      </Flex>

      <Flex vertical style={{ flex: 1, padding: 24 }}>
        <Flex justify="flex-end">
          <LanguageSwitch />
        </Flex>
        <Flex flex={1} align="center" justify="center">
          <Card style={{ width: '100%', maxWidth: 400 }} variant="borderless">
            <Typography.Title level={2} style={{ marginTop: 0 }} data-testid="login-title">
              {t('auth.title')}
            </Typography.Title>
            <Typography.Paragraph type="secondary">{t('auth.welcome')}</Typography.Paragraph>

            {error ? (
              <Alert
                type="error"
                showIcon
                data-testid="login-error"
                style={{ marginBottom: 16 }}
                message={problem?.message}
                description={problem?.description}
              />
            ) : null}

            <Form
              form={form}
              layout="vertical"
              requiredMark={false}
              onFinish={onFinish}
              size="large"
              initialValues={{ email: presetEmail, org: presetOrg }}
            >
              <Form.Item
                name="email"
                label={t('auth.email')}
                rules={[
                  { required: true, message: t('auth.emailRequired') },
                  { type: 'email', message: t('auth.emailInvalid') },
                ]}
              >
                <Input
                  prefix={<MailOutlined />}
                  placeholder={t('auth.emailPlaceholder')}
                  autoComplete="username"
                  autoFocus
                  data-testid="login-email"
                />
              </Form.Item>
              <Form.Item
                name="password"
                label={t('auth.password')}
                rules={[{ required: true, message: t('auth.passwordRequired') }]}
              >
                <Input.Password
                  prefix={<LockOutlined />}
                  placeholder={t('auth.passwordPlaceholder')}
                  autoComplete="current-password"
                  data-testid="login-password"
                />
              </Form.Item>
              <Collapse
                ghost
                size="small"
                defaultActiveKey={presetOrg ? ['more'] : []}
                style={{ marginTop: -8, marginBottom: 16 }}
                items={[
                  {
                    key: 'more',
                    label: <span data-testid="login-more">{t('auth.moreOptions')}</span>,
                    forceRender: true,
                    children: (
                      <Form.Item name="org" label={t('auth.org')} extra={t('auth.orgHelp')} style={{ marginBottom: 0 }}>
                        <Input
                          prefix={<ApartmentOutlined />}
                          placeholder={t('auth.orgPlaceholder')}
                          autoComplete="organization"
                          maxLength={64}
                          data-testid="login-org"
                        />
                      </Form.Item>
                    ),
                  },
                ]}
              />
              <Button type="primary" htmlType="submit" block loading={login.isPending} data-testid="login-submit">
                {t('auth.submit')}
              </Button>
            </Form>
          </Card>
        </Flex>
      </Flex>
    </Flex>
  );
}
