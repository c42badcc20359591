import { IpcPeer } from '@nestkit/ipc';
import { endpointPair } from '@nestkit/ipc/testing';
import { InMemoryRegistry } from '../in-memory.registry';
import { anInstance } from '../instance.fixture';
import { ids } from '../instancer.conformance';
import { describeRegistry } from '../registry.conformance';
import { HubRegistry } from './hub.registry';
import { REGISTRY_CHANNEL } from './registry-hub-protocol';
import { RegistryHub } from './registry.hub';

async function connected(hub: RegistryHub) {
  const pair = endpointPair();
  hub.attach(new IpcPeer(pair.parent, REGISTRY_CHANNEL));
  const sut = new HubRegistry(new IpcPeer(pair.child, REGISTRY_CHANNEL));
  await sut.connect();
  return { sut, pair };
}

describeRegistry(HubRegistry.name, async () => (await connected(new RegistryHub(new InMemoryRegistry()))).sut);

describe(`${HubRegistry.name} across processes`, () => {
  it("shows one process's registration to another, and drops it when that process dies", async () => {
    const hub = new RegistryHub(new InMemoryRegistry());
    const catalog = await connected(hub);
    const gateway = await connected(hub);
    await catalog.sut.register(anInstance({ id: 'c1' }));
    await vi.waitFor(() => expect(ids(gateway.sut.instances('catalog'))).toEqual(['c1']));

    catalog.pair.close(); // kill -9: no deregistration is sent
    await vi.waitFor(() => expect(gateway.sut.instances('catalog')).toEqual([]));
    expect(gateway.sut.instance('c1')).toBeUndefined();
  });

  it('starts a late process with everything registered so far', async () => {
    const hub = new RegistryHub(new InMemoryRegistry());
    const first = await connected(hub);
    await first.sut.register(anInstance({ id: 'o1', service: 'orders', port: 4003 }));
    const late = await connected(hub);
    expect(ids(late.sut.instances('orders'))).toEqual(['o1']);
  });
});
