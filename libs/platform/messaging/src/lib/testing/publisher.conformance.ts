import type { Envelope } from '../envelope/envelope';
import { type Tick, tick, tickContract } from './conformance.fixtures';
import type { MessagingHarness, MessagingHarnessFactory } from './messaging.harness';

/**
 * The behaviour every {@link Publisher} backend must show: single and batch publishes are delivered
 * intact, envelopes with one key keep their order, and an empty batch is a no-op.
 */
export function describePublisher(name: string, factory: MessagingHarnessFactory): void {
  describe(`Publisher conformance: ${name}`, () => {
    let sut: MessagingHarness;

    beforeEach(async () => {
      sut = await factory();
    });
    afterEach(async () => sut.close());

    it('delivers a single envelope with all its metadata', async () => {
      const contract = tickContract();
      const received: Envelope<Tick>[] = [];
      sut.subscriber.subscribe(contract, { group: 'g', handler: async (_payload, envelope) => void received.push(envelope) });
      await sut.subscriber.start();
      const envelope = {
        ...tick(contract, 1, 'order-1'),
        causationId: 'c-1',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        identity: { token: 'eyJhbGciOiJFZERTQSJ9.e30.c2ln' },
      };
      await sut.publisher.publish(envelope);
      await sut.idle();
      expect(received).toEqual([envelope]);
    });

    it('delivers a batch, keeping the order of one key', async () => {
      const contract = tickContract();
      const received: number[] = [];
      sut.subscriber.subscribe(contract, { group: 'g', handler: async ({ n }) => void received.push(n) });
      await sut.subscriber.start();
      await sut.publisher.publish([1, 2, 3, 4, 5].map((n) => tick(contract, n, 'order-1')));
      await sut.idle();
      expect(received).toEqual([1, 2, 3, 4, 5]);
    });

    it('accepts an empty batch', async () => {
      await expect(sut.publisher.publish([])).resolves.toBeUndefined();
    });
  });
}
