import { InMemoryBus } from '@nestkit/messaging';
import { runLedger } from './ledger';

describe(runLedger.name, () => {
  it('counts every event applied once through outbox -> in-memory bus -> inbox', async () => {
    const bus = new InMemoryBus();
    const sut = await runLedger({ events: 2_000, bus: () => bus, group: 'ledger', timeoutMs: 30_000 });
    expect(sut).toMatchObject({ events: 2_000, applied: 2_000, lost: [], appliedTwice: 0, redeliveries: 0 });
  });

  it('reports redeliveries the inbox absorbed and runs each chaos strike once', async () => {
    const bus = new InMemoryBus();
    let failures = 0;
    const failed = new Set<number>();
    const flaky = {
      publish: bus.publish.bind(bus),
      start: bus.start.bind(bus),
      close: bus.close.bind(bus),
      // Every 10th delivery fails after its effect committed, as a lost ack would: it is redelivered.
      subscribe: ((contract, options) =>
        bus.subscribe(contract, {
          ...options,
          retryDelaysMs: [1],
          handler: async (payload, envelope) => {
            // Slow enough that the run is still going when each chaos fraction is passed.
            await new Promise((resolve) => setTimeout(resolve, 2));
            await options.handler(payload, envelope);
            const { seq } = payload as { seq: number };
            if (seq % 10 === 0 && !failed.has(seq)) {
              failed.add(seq);
              failures += 1;
              throw new Error('ack lost');
            }
          },
        })) as InMemoryBus['subscribe'],
    };
    const strikes: number[] = [];
    const sut = await runLedger({ events: 500, writesPerSecond: 1_000, bus: () => flaky as never, group: 'ledger', timeoutMs: 30_000, chaos: { at: [0.2, 0.6], strike: async (i) => void strikes.push(i) } });
    expect(sut).toMatchObject({ applied: 500, lost: [], appliedTwice: 0, strikes: 2 });
    expect(strikes).toEqual([0, 1]);
    expect(sut.redeliveries).toBeGreaterThanOrEqual(failures);
    expect(failures).toBeGreaterThanOrEqual(50);
  });
});
