/** The parts a name was read as, by their labels: 期间=2026Q4, 品牌线=私域. */
export function partsByLabel(parts: Record<string, string>, conventionParts: Record<string, unknown>): string {
  return Object.entries(parts)
    .map(([key, value]) => {
      const rule = conventionParts[key];
      const label =
        typeof rule === 'object' && rule !== null && typeof (rule as { label?: unknown }).label === 'string'
          ? (rule as { label: string }).label
          : key;
      return `${label}=${value}`;
    })
    .join(', ');
}
