import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import { vitestAliases } from './scripts/lib/workspace-paths.mjs';

// One config, three projects: unit specs (fast, no network), integration specs (real brokers and
// databases from scripts/infra) and end-to-end specs (the whole platform through the gateway).
// SWC compiles the specs because Nest's dependency injection needs `emitDecoratorMetadata`,
// which esbuild (Vite's default) does not emit.
const shared = {
  plugins: [swc.vite({ jsc: { target: 'es2023', transform: { useDefineForClassFields: false } } })],
  resolve: { alias: vitestAliases() },
};

export default defineConfig({
  test: {
    projects: [
      {
        ...shared,
        test: {
          name: 'unit',
          globals: true,
          environment: 'node',
          include: ['{apps,libs,tools,scripts}/**/*.spec.ts'],
          exclude: ['**/*.int.spec.ts', '**/*.e2e.spec.ts', '**/node_modules/**', 'dist/**'],
        },
      },
      {
        ...shared,
        test: {
          name: 'int',
          globals: true,
          environment: 'node',
          include: ['{apps,libs,tools,scripts}/**/*.int.spec.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'e2e',
          globals: true,
          environment: 'node',
          include: ['e2e/**/*.e2e.spec.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
