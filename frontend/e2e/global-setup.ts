import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The backend serves frontend/dist; without a build every page would be a 404. */
export default function globalSetup() {
  const index = fileURLToPath(new URL('../dist/index.html', import.meta.url));
  if (!existsSync(index)) {
    throw new Error('frontend/dist is missing: run `npm run build` before `npm run e2e`.');
  }
}
