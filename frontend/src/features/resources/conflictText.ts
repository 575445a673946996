import type { TFunction } from 'i18next';
import { formatDay, type DisplayLocale } from '@/lib/format';
import type { Conflict } from './api';
import { hoursLabel, isoWeek } from './model';

/** One conflict in a sentence: who or what, when, and by how much. */
export function conflictText(conflict: Conflict, t: TFunction, locale: DisplayLocale): string {
  const common = {
    name: conflict.resource_name,
    from: formatDay(conflict.starts_on, locale),
    to: formatDay(conflict.ends_on, locale),
  };
  switch (conflict.kind) {
    case 'over_capacity':
      return t('resources.conflicts.text.over_capacity', {
        ...common,
        hours: hoursLabel(conflict.hours ?? '0'),
        capacity: hoursLabel(conflict.capacity ?? '0'),
      });
    case 'double_booked':
      return t('resources.conflicts.text.double_booked', common);
    case 'over_stock':
      return t('resources.conflicts.text.over_stock', {
        ...common,
        quantity: hoursLabel(conflict.quantity ?? '0'),
        stock: hoursLabel(conflict.stock ?? '0'),
      });
  }
}

/**
 * What a booking's row says of one conflict it takes part in, in a few words: a person over the
 * week's hours (and which week), a venue, channel or vendor taken by another project, a material
 * beyond its stock. `projectId` is the row's project (the others are named).
 */
export function conflictFlag(conflict: Conflict, projectId: string, t: TFunction): string {
  switch (conflict.kind) {
    case 'over_capacity':
      return t('resources.project.flags.over_capacity', {
        week: t('resources.workload.week', { number: isoWeek(conflict.starts_on) }),
        hours: hoursLabel(conflict.hours ?? '0'),
        capacity: hoursLabel(conflict.capacity ?? '0'),
      });
    case 'double_booked': {
      const others = conflict.projects.filter((p) => p.id !== projectId).map((p) => p.name);
      return others.length
        ? t('resources.project.flags.double_booked', {
            kind: t(`resources.kinds.${conflict.resource_kind}`),
            projects: others.join(t('resources.project.flags.separator')),
          })
        : t('resources.conflicts.kinds.double_booked');
    }
    case 'over_stock':
      return t('resources.project.flags.over_stock', {
        quantity: hoursLabel(conflict.quantity ?? '0'),
        stock: hoursLabel(conflict.stock ?? '0'),
      });
  }
}
