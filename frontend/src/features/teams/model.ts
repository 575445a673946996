import type { components } from '@/api/schema';

type TeamCreate = components['schemas']['TeamCreate'];

export interface TeamFormValues {
  name: string;
  description?: string | null;
  lead_member_id?: string | null;
  member_ids?: string[] | null;
}

/** The form's values as the API wants them: trimmed, empty → null, the lead among the members. */
export function teamBody(values: TeamFormValues): Required<Pick<TeamCreate, 'name' | 'member_ids'>> & {
  description: string | null;
  lead_member_id: string | null;
} {
  const lead = values.lead_member_id || null;
  const members = [...new Set([...(values.member_ids ?? []), ...(lead ? [lead] : [])])];
  return {
    name: values.name.trim(),
    description: values.description?.trim() || null,
    lead_member_id: lead,
    member_ids: members,
  };
}

/** Member names for ids, in the order given; ids of people no longer in the directory are skipped. */
export function memberNames(ids: readonly string[], names: ReadonlyMap<string, string>): string[] {
  return ids.flatMap((id) => {
    const name = names.get(id);
    return name === undefined ? [] : [name];
  });
}
