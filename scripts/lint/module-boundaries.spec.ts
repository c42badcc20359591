// Proves the architecture rules in eslint.config.mjs bite: each case lints a snippet as if it were a
// file of the named project and expects `@nx/enforce-module-boundaries` to flag it (or not).
import { resolve } from 'node:path';
import { ESLint } from 'eslint';

const repoRoot = resolve(__dirname, '../..');
const RULE = '@nx/enforce-module-boundaries';

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: repoRoot });
  const [result] = await eslint.lintText(code, { filePath: resolve(repoRoot, filePath) });
  return result.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
}

describe('module boundaries', () => {
  it.each([
    ['an app using a contracts lib and a platform lib', 'apps/orders/src/app/probe.ts', "import { OrderPlaced } from '@nestkit/contracts/orders';\nimport { Outbox } from '@nestkit/messaging';\nexport { OrderPlaced, Outbox };"],
    ['a platform lib using a util lib', 'libs/platform/messaging/src/lib/probe.ts', "import { IpcPeer } from '@nestkit/ipc';\nexport { IpcPeer };"],
  ])('allows %s', async (_case, file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });

  it.each([
    ['an app importing another app', 'apps/orders/src/app/probe.ts', "import { main } from '../../../catalog/src/main';\nexport { main };"],
    ['a platform lib importing a contracts lib', 'libs/platform/messaging/src/lib/probe.ts', "import { OrderPlaced } from '@nestkit/contracts/orders';\nexport { OrderPlaced };"],
    ['a contracts lib importing a framework', 'libs/contracts/orders/src/lib/probe.ts', "import { Injectable } from '@nestjs/common';\nexport { Injectable };"],
    ['a util lib importing a feature lib', 'libs/platform/metrics/src/lib/probe.ts', "import { AppError } from '@nestkit/errors';\nexport { AppError };"],
    ['a util lib importing a driver', 'libs/platform/ipc/src/lib/probe.ts', "import amqp from 'amqplib';\nexport { amqp };"],
  ])('refuses %s', async (_case, file, code) => {
    expect((await boundaryErrors(file, code)).length).toBeGreaterThan(0);
  });
});
