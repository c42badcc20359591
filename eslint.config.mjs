import nx from '@nx/eslint-plugin';

// Module boundaries are the architecture: apps never import apps, services meet only through
// contracts, and util/contract libs stay free of frameworks. Every constraint is spelled out;
// there is no `*` wildcard that would let a new tag through unchecked.
const frameworkAndDrivers = [
  '@nestjs/*', 'rxjs', 'rxjs/*', 'typeorm', 'amqplib', 'amqp-connection-manager', 'kafkajs',
  '@platformatic/kafka', 'better-sqlite3', 'pg', 'ioredis', 'redis', 'etcd3', 'fastify',
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/vite.config.*', '**/vitest.config.*', '.nx/**', '.infra/**', '.data/**'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:contract', 'type:util'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:util', 'type:contract', 'type:data-access'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:contract', 'type:util'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:contract', 'type:util'] },
            { sourceTag: 'type:contract', onlyDependOnLibsWithTags: ['type:contract', 'type:util'], bannedExternalImports: frameworkAndDrivers },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'], bannedExternalImports: frameworkAndDrivers },
            { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: ['scope:platform'] },
            { sourceTag: 'scope:contracts', onlyDependOnLibsWithTags: ['scope:contracts', 'scope:platform'] },
            { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:platform', 'scope:contracts'] },
            { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:gateway', 'scope:platform', 'scope:contracts'] },
            { sourceTag: 'scope:identity', onlyDependOnLibsWithTags: ['scope:identity', 'scope:platform', 'scope:contracts'] },
            { sourceTag: 'scope:catalog', onlyDependOnLibsWithTags: ['scope:catalog', 'scope:platform', 'scope:contracts'] },
            { sourceTag: 'scope:orders', onlyDependOnLibsWithTags: ['scope:orders', 'scope:platform', 'scope:contracts'] },
            { sourceTag: 'scope:notifications', onlyDependOnLibsWithTags: ['scope:notifications', 'scope:platform', 'scope:contracts'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
