import type { Envelope } from '../envelope/envelope';
import { InvalidMessageError } from '../invalid-message.error';
import type { MessageContract } from '../envelope/message-contract';
import { deferred, type Tick, tick, tickContract } from './conformance.fixtures';
import type { MessagingHarness, MessagingHarnessFactory } from './messaging.harness';

/**
 * The behaviour every {@link Subscriber} backend must show: fan-out across groups, competing consumers
 * within one, ack only after the handler, retry then dead-letter, invalid payloads dead-lettered unseen.
 */
export function describeSubscriber(name: string, factory: MessagingHarnessFactory): void {
  describe(`Subscriber conformance: ${name}`, () => {
    let sut: MessagingHarness;
    let contract: MessageContract<Tick>;
    const fast = { retryDelaysMs: [1] };

    beforeEach(async () => {
      sut = await factory();
      contract = tickContract();
    });
    afterEach(async () => sut.close());

    const publish = async (...ns: number[]) => sut.publisher.publish(ns.map((n) => tick(contract, n)));

    it('delivers every message to every group (fan-out)', async () => {
      const seen: string[] = [];
      for (const group of ['billing', 'audit']) {
        sut.subscriber.subscribe(contract, { group, handler: async ({ n }) => void seen.push(`${group}:${n}`) });
      }
      await sut.subscriber.start();
      await publish(1, 2);
      await sut.idle();
      expect(seen.sort()).toEqual(['audit:1', 'audit:2', 'billing:1', 'billing:2']);
    });

    it('gives each message to exactly one consumer of a group (competing consumers)', async () => {
      const handled: number[] = [];
      for (let i = 0; i < 2; i += 1) {
        sut.subscriber.subscribe(contract, { group: 'workers', handler: async ({ n }) => void handled.push(n) });
      }
      await sut.subscriber.start();
      await publish(1, 2, 3, 4);
      await sut.idle();
      expect(handled.sort()).toEqual([1, 2, 3, 4]);
    });

    it('acknowledges only after the handler resolves', async () => {
      const gate = deferred();
      const events: string[] = [];
      sut.subscriber.subscribe(contract, { group: 'slow', handler: async () => gate.promise.then(() => void events.push('handled')) });
      await sut.subscriber.start();
      await publish(1);
      const idle = sut.idle().then(() => events.push('idle'));
      await new Promise((resolve) => setTimeout(resolve, 5));
      events.push('released');
      gate.resolve();
      await idle;
      expect(events).toEqual(['released', 'handled', 'idle']);
    });

    it('retries a failing handler, then succeeds without dead-lettering', async () => {
      let deliveries = 0;
      sut.subscriber.subscribe(contract, {
        group: 'flaky',
        ...fast,
        handler: async () => {
          deliveries += 1;
          if (deliveries < 3) throw new Error(`boom ${deliveries}`);
        },
      });
      await sut.subscriber.start();
      await publish(1);
      await sut.idle();
      expect(deliveries).toBe(3);
      expect(await sut.deadLetters()).toEqual([]);
    });

    it('dead-letters after maxDeliveries with the last error', async () => {
      let deliveries = 0;
      const handler = async (): Promise<void> => {
        deliveries += 1;
        throw new Error(`boom ${deliveries}`);
      };
      sut.subscriber.subscribe(contract, { group: 'broken', maxDeliveries: 3, ...fast, handler });
      await sut.subscriber.start();
      await publish(7);
      await sut.idle();
      expect(deliveries).toBe(3);
      const [dead, ...rest] = await sut.deadLetters();
      expect(rest).toEqual([]);
      expect(dead).toMatchObject({ group: 'broken', reason: 'handler-failed', error: 'boom 3', deliveries: 3 });
      expect(dead.envelope.payload).toEqual({ n: 7 });
    });

    it('dead-letters a payload that fails the contract without calling the handler', async () => {
      const handler = vi.fn(async () => undefined);
      sut.subscriber.subscribe(contract, { group: 'strict', handler });
      await sut.subscriber.start();
      const bad = { ...tick(contract, 1), payload: { n: 'one' } } as unknown as Envelope;
      await sut.publisher.publish(bad);
      await sut.idle();
      expect(handler).not.toHaveBeenCalled();
      const [dead] = await sut.deadLetters();
      expect(dead).toMatchObject({ group: 'strict', reason: 'invalid-payload', deliveries: 1 });
      expect(dead.error).toContain('n');
    });

    it('dead-letters at once, without retrying, a message the handler finds invalid (InvalidMessageError)', async () => {
      let deliveries = 0;
      sut.subscriber.subscribe(contract, {
        group: 'picky',
        ...fast,
        handler: async () => {
          deliveries += 1;
          throw new InvalidMessageError('identity of the sender is forged');
        },
      });
      await sut.subscriber.start();
      await publish(3);
      await sut.idle();
      expect(deliveries).toBe(1);
      const [dead, ...rest] = await sut.deadLetters();
      expect(rest).toEqual([]);
      expect(dead).toMatchObject({ group: 'picky', reason: 'invalid-payload', deliveries: 1 });
      expect(dead?.error).toContain('identity of the sender is forged');
    });

    it('keeps delivering after handlers throw, synchronously or not', async () => {
      const handled: number[] = [];
      const handler = (({ n }: Tick) => {
        if (n === 1) throw new Error('sync boom');
        handled.push(n);
        return Promise.resolve();
      }) as (payload: Tick) => Promise<void>;
      sut.subscriber.subscribe(contract, { group: 'tough', maxDeliveries: 1, handler });
      await sut.subscriber.start();
      await publish(1, 2);
      await sut.idle();
      expect(handled).toEqual([2]);
      expect((await sut.deadLetters()).map((d) => d.error)).toEqual(['sync boom']);
    });

    it('stops delivering to a closed subscription; the group keeps the messages', async () => {
      const seen: string[] = [];
      const first = sut.subscriber.subscribe(contract, { group: 'g', handler: async ({ n }) => void seen.push(`first:${n}`) });
      await sut.subscriber.start();
      await first.close();
      sut.subscriber.subscribe(contract, { group: 'g', handler: async ({ n }) => void seen.push(`second:${n}`) });
      await publish(1);
      await sut.idle();
      expect(seen).toEqual(['second:1']);
    });
  });
}
