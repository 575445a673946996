// @vitest-environment node
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_PERMISSIONS, permissionLabelKey } from '@/lib/permissions';
import { ROLES } from '@/lib/roles';
import zh from './zh-CN.json';

const srcDir = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')
      ? [path]
      : [];
  });
}

function exists(key: string): boolean {
  let node: unknown = zh;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !(part in node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string';
}

describe('i18n keys used in the code', () => {
  it('exist in the locale files (literal t("...") calls and labelKey fields)', () => {
    const pattern =
      /\bt\(\s*'([A-Za-z0-9_.-]+)'|(?:labelKey|titleKey):\s*'([A-Za-z0-9_.-]+)'|\?\s*'([a-z]+\.[A-Za-z0-9_.]+)'\s*:\s*'([a-z]+\.[A-Za-z0-9_.]+)'/g;
    const missing: string[] = [];
    let count = 0;
    for (const file of sourceFiles(srcDir)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(pattern)) {
        for (const key of match.slice(1).filter(Boolean)) {
          count += 1;
          if (!exists(key)) missing.push(`${file.replace(srcDir, 'src/')}: ${key}`);
        }
      }
    }
    expect(count).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });

  it('name every role and permission', () => {
    for (const role of ROLES) expect(exists(`roles.${role}`), role).toBe(true);
    for (const permission of ALL_PERMISSIONS) expect(exists(permissionLabelKey(permission)), permission).toBe(true);
  });
});
