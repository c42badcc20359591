import { IpcPeer } from '@nestkit/ipc';
import { endpointPair } from '@nestkit/ipc/testing';
import { z } from 'zod';
import { createEnvelope } from '../envelope/envelope';
import { InMemoryBus } from '../in-memory/in-memory.bus';
import { describePublisher } from '../testing/publisher.conformance';
import { describeSubscriber } from '../testing/subscriber.conformance';
import { BusHub } from './bus.hub';
import { BUS_CHANNEL } from './hub-protocol';
import { HubBus } from './hub.bus';

/** A hub in the "parent" and a service's HubBus in the "child", joined by an in-process IPC pair. */
function harness() {
  const bus = new InMemoryBus();
  const pair = endpointPair();
  new BusHub(bus).attach(new IpcPeer(pair.parent, BUS_CHANNEL));
  const sut = new HubBus(new IpcPeer(pair.child, BUS_CHANNEL));
  return {
    publisher: sut,
    subscriber: sut,
    idle: () => bus.idle(),
    deadLetters: async () => bus.deadLetters(),
    close: async () => {
      await sut.close();
      pair.close();
      await bus.close();
    },
    bus,
    pair,
  };
}

describeSubscriber(HubBus.name, harness);
describePublisher(HubBus.name, harness);

const Pinged = { type: 'test.pinged', version: 1, schema: z.object({ n: z.number() }) } as const;

describe(`${HubBus.name} across processes`, () => {
  it('redelivers to another service process when the one handling a message dies', async () => {
    const h = harness();
    const second = endpointPair();
    new BusHub(h.bus).attach(new IpcPeer(second.parent, BUS_CHANNEL));
    const survivor = new HubBus(new IpcPeer(second.child, BUS_CHANNEL));
    const handled: string[] = [];
    h.subscriber.subscribe(Pinged, {
      group: 'g',
      retryDelaysMs: [5],
      handler: () => new Promise<void>(() => h.pair.close()), // dies mid-handler, never acks
    });
    survivor.subscribe(Pinged, { group: 'g', retryDelaysMs: [5], handler: async (p) => void handled.push(`survivor:${p.n}`) });
    await Promise.all([h.subscriber.start(), survivor.start()]);

    await survivor.publish(createEnvelope(Pinged, { n: 1 }, { producer: 'test' }));
    await vi.waitFor(() => expect(handled).toEqual(['survivor:1']));
    expect(h.bus.deadLetters()).toEqual([]);
    second.close();
    await h.bus.close();
  });

  it("passes a transient group on to the hub, which forgets it with the service's last subscription", async () => {
    const h = harness();
    const first = h.subscriber.subscribe(Pinged, { group: 'gw.1', transient: true, handler: async () => undefined });
    await h.subscriber.start();
    await first.close();
    await h.publisher.publish(createEnvelope(Pinged, { n: 1 }, { producer: 'test' }));
    const handled: number[] = [];
    h.subscriber.subscribe(Pinged, { group: 'gw.1', transient: true, handler: async (p) => void handled.push(p.n) });
    await h.subscriber.start();
    await h.publisher.publish(createEnvelope(Pinged, { n: 2 }, { producer: 'test' }));
    await vi.waitFor(() => expect(handled).toEqual([2]));
    await h.close();
  });
});
