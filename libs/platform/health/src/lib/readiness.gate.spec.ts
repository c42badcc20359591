import { Logger } from '@nestjs/common';
import type { ReadinessIndicator } from './readiness-indicator';
import { ReadinessGate } from './readiness.gate';

function indicator(name: string, readyAfterCalls: number): ReadinessIndicator & { calls: number } {
  return {
    name,
    calls: 0,
    async check() {
      this.calls += 1;
      if (this.calls < readyAfterCalls) throw new Error(`${name} is still starting`);
    },
  };
}

describe(ReadinessGate.name, () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('resolves at once when every indicator passes', async () => {
    const database = indicator('database', 1);
    const sut = new ReadinessGate([database]);
    await sut.waitUntilReady(1_000, 5);
    expect(database.calls).toBe(1);
  });

  it('waits until a slow dependency is ready', async () => {
    const broker = indicator('broker', 3);
    const sut = new ReadinessGate([indicator('database', 1), broker]);
    await sut.waitUntilReady(1_000, 5);
    expect(broker.calls).toBe(3);
  });

  it('gives up after the timeout, naming what still fails', async () => {
    const sut = new ReadinessGate([indicator('database', 1), indicator('broker', Number.POSITIVE_INFINITY)]);
    await expect(sut.waitUntilReady(30, 5)).rejects.toThrow('not ready after 30 ms: broker: broker is still starting');
  });

  it('does not wait for a non-critical dependency', async () => {
    const registry = { ...indicator('registry', Number.POSITIVE_INFINITY), critical: false };
    await new ReadinessGate([indicator('database', 1), registry]).waitUntilReady(30, 5);
  });

  it('reports no failures when ready', async () => {
    expect(await new ReadinessGate([indicator('database', 1)]).failures()).toEqual([]);
  });
});
