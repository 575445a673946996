// Prints the JavaScript a first visit downloads, raw and gzipped: the entry chunk of
// dist/.vite/manifest.json plus every chunk it imports statically (transitively), then the
// same plus the lazy page it lands on (the login page, a home page). Chunks no first visit
// needs (the other feature pages) are listed apart. Run after `npm run build`:
//   node scripts/first-load.mjs [--all]
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('.vite/manifest.json', dist), 'utf8'));

const entryKey = Object.keys(manifest).find((key) => manifest[key].isEntry);
if (!entryKey) throw new Error('dist/.vite/manifest.json has no entry chunk');

/** The files of a chunk and of everything it imports statically. */
const closure = (key, files = new Set()) => {
  const chunk = manifest[key];
  if (files.has(chunk.file)) return files;
  files.add(chunk.file);
  for (const imported of chunk.imports ?? []) closure(imported, files);
  return files;
};
const firstLoad = closure(entryKey);
const pages = {
  'login page': 'src/features/auth/LoginPage.tsx',
  'home page': 'src/features/home/HomePage.tsx',
};

const size = (file) => {
  const bytes = readFileSync(new URL(file, dist));
  return { raw: bytes.length, gzip: gzipSync(bytes).length };
};
// kB = 1000 bytes and gzip at the default level, as Vite's build report prints them.
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

const report = (title, files) => {
  let raw = 0;
  let gzip = 0;
  console.log(title);
  for (const file of [...files].sort()) {
    const s = size(file);
    raw += s.raw;
    gzip += s.gzip;
    if (listFiles) console.log(`  ${file.padEnd(44)} ${kb(s.raw).padStart(10)}  gzip ${kb(s.gzip).padStart(9)}`);
  }
  console.log(`  ${'total'.padEnd(44)} ${kb(raw).padStart(10)}  gzip ${kb(gzip).padStart(9)}`);
};
const listFiles = process.argv.includes('--all');

report('Entry + static imports (the shell):', firstLoad);
const firstVisit = new Set(firstLoad);
for (const [name, key] of Object.entries(pages)) {
  // Before routes were lazy the pages were part of the entry: nothing more to add.
  const files = manifest[key] ? closure(key, new Set(firstLoad)) : firstLoad;
  for (const file of files) firstVisit.add(file);
  report(`First load of the ${name} (shell + its lazy chunks):`, files);
}
const lazy = new Set(
  Object.values(manifest)
    .map((chunk) => chunk.file)
    .filter((file) => file.endsWith('.js') && !firstVisit.has(file)),
);
if (lazy.size) report('Only loaded by other pages:', lazy);
