// Reads the `@nestkit/*` path aliases from tsconfig.base.json, the single place they are declared,
// so the build (SWC) and the test runner (Vitest) resolve imports exactly as the type checker does.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** @returns {Record<string, string[]>} alias -> repo-relative targets, as in tsconfig.base.json */
export function tsconfigPaths() {
  const raw = readFileSync(resolve(repoRoot, 'tsconfig.base.json'), 'utf8');
  return JSON.parse(raw).compilerOptions.paths ?? {};
}

/** Vite/Vitest aliases: exact-match regexes so `@nestkit/messaging` never swallows `@nestkit/messaging/testing`. */
export function vitestAliases() {
  return Object.entries(tsconfigPaths()).map(([alias, [target]]) => ({
    find: new RegExp(`^${alias.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`),
    replacement: resolve(repoRoot, target),
  }));
}
