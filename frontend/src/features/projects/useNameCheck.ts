import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { nameCheckQuery, type NameCheck, type NameCheckContext } from './api';

/** The value after it has stopped changing for `delay` ms. */
export function useDebouncedValue<T>(value: T, delay: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return debounced;
}

export type NameCheckState =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'ok'; result: NameCheck }
  | { state: 'bad'; result: NameCheck }
  | { state: 'error' };

export const NAME_CHECK_DELAY = 350;

const NO_CONTEXT: NameCheckContext = {};

/**
 * Checks the name against the organisation's naming convention as it is typed (and against the
 * project's period and the names already in use): the server is asked once typing pauses, and
 * only about the latest name.
 */
export function useNameCheck(
  name: string | undefined,
  context: NameCheckContext = NO_CONTEXT,
  delay = NAME_CHECK_DELAY,
): NameCheckState {
  const trimmed = (name ?? '').trim();
  const debounced = useDebouncedValue(trimmed, delay);
  const query = useQuery({ ...nameCheckQuery(debounced, context), enabled: debounced !== '' });
  if (trimmed === '') return { state: 'idle' };
  if (debounced !== trimmed || query.isPending) return { state: 'checking' };
  if (query.isError) return { state: 'error' };
  return query.data.ok ? { state: 'ok', result: query.data } : { state: 'bad', result: query.data };
}
