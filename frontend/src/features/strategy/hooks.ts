import { useQuery } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors } from '@/lib/formErrors';
import type { DisplayLocale } from '@/lib/format';
import { channelDirectoryQuery, memberDirectoryQuery, teamDirectoryQuery } from './api';
import { SERVER_ERROR_KEYS } from './model';

/** Names for owner ids, and the people offered as owners (active members, by name). */
export function useMemberDirectory() {
  const members = useQuery(memberDirectoryQuery);
  return useMemo(() => {
    const byId = new Map((members.data ?? []).map((m) => [m.id, m]));
    const options = (members.data ?? [])
      .filter((m) => m.is_active)
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
      .map((m) => ({ value: m.id, label: m.name, email: m.email }));
    return {
      nameOf: (id: string | null | undefined) => (id ? byId.get(id)?.name : undefined),
      options,
      loading: members.isPending,
    };
  }, [members.data, members.isPending]);
}

/** Names for team ids, and the teams offered as goal owners (by name). */
export function useTeamDirectory() {
  const teams = useQuery(teamDirectoryQuery);
  return useMemo(() => {
    const byId = new Map((teams.data ?? []).map((team) => [team.id, team]));
    const options = [...(teams.data ?? [])]
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
      .map((team) => ({ value: team.id, label: team.name }));
    return {
      teamNameOf: (id: string | null | undefined) => (id ? byId.get(id)?.name : undefined),
      options,
      loading: teams.isPending,
    };
  }, [teams.data, teams.isPending]);
}

/**
 * Names for channel keys, and the active channels offered for a KPI's query (by name). Asked
 * only when needed (a form with a channel query, a tree with a channel KPI).
 */
export function useChannelDirectory(enabled: boolean) {
  const channels = useQuery({ ...channelDirectoryQuery, enabled });
  return useMemo(() => {
    const byKey = new Map((channels.data ?? []).map((c) => [c.key, c]));
    const options = (channels.data ?? [])
      .filter((c) => c.active)
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
      .map((c) => ({ value: c.key, label: c.name }));
    return {
      channelNameOf: (key: string) => byKey.get(key)?.name ?? key,
      options,
      loading: enabled && channels.isPending,
    };
  }, [channels.data, channels.isPending, enabled]);
}

/** The UI language in the form the number and date formatters take. */
export function useDisplayLocale(): DisplayLocale {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

/**
 * Puts a rejected save's field errors under the form's fields, in the UI's language when
 * the error type is known. Returns whether any found a field (else show a general alert).
 */
export function useServerFieldErrors(form: FormInstance, fields: readonly string[]) {
  const { t } = useTranslation();
  const [onFields, setOnFields] = useState(false);
  const apply = useCallback(
    (error: unknown) => {
      const applied = applyFieldErrors(form, error, {
        fields,
        message: (e) => {
          const key = SERVER_ERROR_KEYS[e.type];
          return key ? t(key) : undefined;
        },
      });
      setOnFields(applied);
      return applied;
    },
    [form, fields, t],
  );
  return { apply, onFields, reset: () => setOnFields(false) };
}

/** A dialog that is mounted while shown and unmounted after its closing animation. */
export function useDialog<T>() {
  const [state, setState] = useState<{ value: T | null; open: boolean; seq: number }>({
    value: null,
    open: false,
    seq: 0,
  });
  return {
    value: state.value,
    open: state.open,
    key: state.seq,
    show: (value: T) => setState((s) => ({ value, open: true, seq: s.seq + 1 })),
    hide: () => setState((s) => ({ ...s, open: false })),
    clear: () => setState((s) => ({ ...s, value: null })),
  };
}
