// `npm run bench -- <name> [flags]`: runs the benchmark in bench/<name>/run.mjs (its `main(argv, invokedAs)`).
// The micro-benchmarks (`*.bench.ts`) run under Vitest instead; see bench/README.md.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const here = new URL('.', import.meta.url).pathname;
const available = readdirSync(here, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(here, entry.name, 'run.mjs')))
  .map((entry) => entry.name);

const [name, ...argv] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name> [flags]; name is one of: ${available.join(', ') || '(none)'}${name ? ` (got "${name}")` : ''}`);
  process.exit(2);
}
const invokedAs = process.env['npm_lifecycle_event'] === 'bench' ? `npm run bench -- ${name}` : `node bench/run.mjs ${name}`;
const { main } = await import(pathToFileURL(join(here, name, 'run.mjs')).href);
try {
  await main(argv, invokedAs);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
