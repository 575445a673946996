// @vitest-environment node
import { readFileSync } from 'node:fs';
import { ALL_PERMISSIONS, PERMISSIONS } from './permissions';
import { ROLE_COLORS, ROLES } from './roles';

/**
 * The runtime lists the SPA iterates must hold every value the API's schema has: the lists
 * are checked here against `openapi.yaml` itself (the source `schema.d.ts` is generated from),
 * so a permission or role added on the server fails this test until the SPA lists (and names) it.
 */
const openapi = readFileSync(new URL('../../../openapi.yaml', import.meta.url), 'utf8').split('\n');

/** The `enum` of `components.schemas.<name>` (the file is written by the backend's exporter). */
function schemaEnum(name: string): string[] {
  const components = openapi.indexOf('components:');
  const start = openapi.indexOf(`    ${name}:`, components);
  expect(start, `components.schemas.${name} in openapi.yaml`).toBeGreaterThan(components);
  const values: string[] = [];
  let inEnum = false;
  for (const line of openapi.slice(start + 1)) {
    if (!line.startsWith('      ')) break; // the next schema
    if (line === '      enum:') inEnum = true;
    else if (inEnum && line.startsWith('      - ')) values.push(line.slice(8).replace(/^'(.*)'$/, '$1'));
    else inEnum = false;
  }
  expect(values.length, `components.schemas.${name}.enum`).toBeGreaterThan(0);
  return values;
}

describe('lists typed by the OpenAPI schema', () => {
  it('ALL_PERMISSIONS is exactly the schema’s Permission enum, in its order', () => {
    expect([...ALL_PERMISSIONS]).toEqual(schemaEnum('Permission'));
  });

  it('every permission the SPA checks exists in the schema', () => {
    const known = new Set(schemaEnum('Permission'));
    for (const permission of Object.values(PERMISSIONS)) expect(known, permission).toContain(permission);
  });

  it('ROLES and the role colours cover exactly the schema’s Role enum', () => {
    const roles = schemaEnum('Role');
    expect([...ROLES].sort()).toEqual([...roles].sort());
    expect(Object.keys(ROLE_COLORS).sort()).toEqual([...roles].sort());
  });
});
