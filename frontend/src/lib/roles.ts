import type { components } from '@/api/schema';

export type Me = components['schemas']['Me'];
/** An organisation role, as the OpenAPI schema lists them. */
export type Role = components['schemas']['Role'];

/**
 * In the order they are offered in pickers: most powerful first. The type check below and a
 * unit test against `openapi.yaml` keep it complete.
 */
export const ROLES = [
  'admin',
  'director',
  'project_manager',
  'member',
  'finance',
  'viewer',
] as const satisfies readonly Role[];

/** A role the schema has and ROLES misses fails the type check here. */
export const allRolesListed: [Exclude<Role, (typeof ROLES)[number]>] extends [never] ? true : never = true;

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
