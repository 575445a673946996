import type { components } from '@/api/schema';

export type Me = components['schemas']['Me'];
export type Role = Me['role'];

/** In the order they are offered in pickers: most powerful first. */
export const ROLES = [
  'admin',
  'director',
  'project_manager',
  'member',
  'finance',
  'viewer',
] as const satisfies readonly Role[];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** i18n key of a role's display name, e.g. roles.director → 营销总监. */
export function roleLabelKey(role: string): string {
  return isRole(role) ? `roles.${role}` : 'roles.unknown';
}

export const ROLE_COLORS: Record<Role, string> = {
  admin: 'red',
  director: 'purple',
  project_manager: 'blue',
  member: 'green',
  finance: 'gold',
  viewer: 'default',
};
