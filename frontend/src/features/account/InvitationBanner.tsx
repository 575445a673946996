import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Popconfirm, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { errorText } from '@/lib/errorText';
import { paths } from '@/lib/paths';
import { useLogout, useSession } from '@/lib/session';
import {
  loginToOrgPath,
  myInvitationsQuery,
  useAcceptInvitation,
  useDeclineInvitation,
  type JoinedOrg,
  type MyInvitation,
} from './api';

function InvitationAlert({ invitation, onJoined }: { invitation: MyInvitation; onJoined: (org: JoinedOrg) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const accept = useAcceptInvitation();
  const decline = useDeclineInvitation();
  const busy = accept.isPending || decline.isPending;
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="invitation-banner"
      message={t('account.invitation.message', {
        org: invitation.org_name,
        inviter: invitation.invited_by_name,
        role: t(`roles.${invitation.role}`, { defaultValue: invitation.role }),
      })}
      action={
        <Space>
          <Button
            type="primary"
            size="small"
            loading={accept.isPending}
            disabled={busy}
            data-testid="invitation-accept"
            onClick={() =>
              accept.mutate(invitation.id, {
                onSuccess: onJoined,
                onError: (error) => void message.error(errorText(error, t)),
              })
            }
          >
            {t('account.invitation.accept')}
          </Button>
          <Popconfirm
            title={t('account.invitation.declineConfirm', { org: invitation.org_name })}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            onConfirm={() =>
              decline.mutate(invitation.id, {
                onSuccess: () => void message.success(t('account.invitation.declined')),
                onError: (error) => void message.error(errorText(error, t)),
              })
            }
          >
            <Button size="small" loading={decline.isPending} disabled={busy} data-testid="invitation-decline">
              {t('account.invitation.decline')}
            </Button>
          </Popconfirm>
        </Space>
      }
    />
  );
}

/**
 * At the top of every page for a person invited to another organisation: accept (they join
 * with the invited role) or decline. After joining, they work there by logging in to it.
 */
export function InvitationBanner() {
  const { t } = useTranslation();
  const me = useSession();
  const navigate = useNavigate();
  const logout = useLogout();
  const invitations = useQuery(myInvitationsQuery);
  const [joined, setJoined] = useState<JoinedOrg | null>(null);

  const switchTo = (org: JoinedOrg) =>
    logout.mutate(undefined, {
      onSettled: () => void navigate(loginToOrgPath(paths.login, org.slug, me.user.email), { replace: true }),
    });

  return (
    <>
      {joined ? (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setJoined(null)}
          style={{ marginBottom: 16 }}
          data-testid="invitation-joined"
          message={t('account.invitation.joined', { org: joined.name })}
          description={
            <Flex vertical gap={8} align="flex-start">
              <span>{t('account.invitation.howToSwitch', { slug: joined.slug })}</span>
              <Button
                size="small"
                type="primary"
                loading={logout.isPending}
                onClick={() => switchTo(joined)}
                data-testid="invitation-switch"
              >
                {t('account.invitation.switch')}
              </Button>
            </Flex>
          }
        />
      ) : null}
      {(invitations.data ?? []).map((invitation) => (
        <InvitationAlert key={invitation.id} invitation={invitation} onJoined={setJoined} />
      ))}
    </>
  );
}
