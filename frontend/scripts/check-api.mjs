// Fails when src/api/schema.d.ts is not what openapi-typescript makes from ../openapi.yaml,
// i.e. someone changed the API without running `npm run gen:api`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const spec = resolve(root, '..', 'openapi.yaml');
const committed = join(root, 'src', 'api', 'schema.d.ts');
const dir = mkdtempSync(join(tmpdir(), 'mems-api-'));
const fresh = join(dir, 'schema.d.ts');

try {
  execFileSync(join(root, 'node_modules', '.bin', 'openapi-typescript'), [spec, '-o', fresh], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (readFileSync(fresh, 'utf8') !== readFileSync(committed, 'utf8')) {
    console.error('src/api/schema.d.ts is out of date with ../openapi.yaml: run `npm run gen:api` and commit it.');
    process.exitCode = 1;
  } else {
    console.log('src/api/schema.d.ts matches ../openapi.yaml');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
