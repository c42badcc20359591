// Compiles every TypeScript source under apps/, libs/ and scripts/ to CommonJS in dist/ with SWC
// (decorator metadata on, as Nest's dependency injection needs), rewriting `@nestkit/*` aliases to
// relative paths. Type checking is a separate step (`npm run typecheck`), so this takes about a second.
import { transformFile } from '@swc/core';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { repoRoot, tsconfigPaths } from './lib/workspace-paths.mjs';

const roots = ['apps', 'libs', 'scripts', 'bench'];
const outDir = resolve(repoRoot, 'dist');
const skip = /(\.spec\.ts|\.d\.ts|vite\.config\.[cm]?ts|vitest\.config\.[cm]?ts)$/;

async function* sources(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'files') yield* sources(path);
    } else if (entry.name.endsWith('.ts') && !skip.test(entry.name)) {
      yield path;
    }
  }
}

const swcOptions = {
  sourceMaps: true,
  module: { type: 'commonjs', strict: true },
  jsc: {
    target: 'es2023',
    parser: { syntax: 'typescript', decorators: true, dynamicImport: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
    baseUrl: repoRoot,
    paths: tsconfigPaths(),
  },
};

const started = Date.now();
await rm(outDir, { recursive: true, force: true });
let count = 0;
for (const root of roots) {
  for await (const file of sources(resolve(repoRoot, root))) {
    const out = join(outDir, relative(repoRoot, file)).replace(/\.ts$/, '.js');
    const { code, map } = await transformFile(file, { ...swcOptions, filename: file, outputPath: out });
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${code}\n//# sourceMappingURL=${out.split('/').pop()}.map\n`);
    if (map) await writeFile(`${out}.map`, map);
    count += 1;
  }
}
console.log(`build: compiled ${count} files to dist/ in ${Date.now() - started} ms`);
