import { infraUrls, uniqueName, waitFor } from '@nestkit/testing';
import { describeInstancer, describeRegistry, ids } from '../../testing';
import { anInstance } from '../instance.fixture';
import type { EtcdRegistryOptions } from './etcd-registry.options';
import { EtcdRegistry } from './etcd.registry';

const url = infraUrls().etcdUrl;
const opened: EtcdRegistry[] = [];

async function aRegistry(options: Partial<EtcdRegistryOptions> = {}): Promise<EtcdRegistry> {
  const registry = new EtcdRegistry({ url, prefix: `/nestkit-test/${uniqueName('discovery')}/`, ...options });
  opened.push(registry);
  await registry.start();
  return registry;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((registry) => registry.close()));
});

describeRegistry('etcd', () => aRegistry());

describeInstancer('etcd', async (seed) => {
  const registry = await aRegistry();
  for (const instance of seed) await registry.register(instance);
  return registry;
});

describe(EtcdRegistry.name, () => {
  it('lets two processes see each other through etcd', async () => {
    const prefix = `/nestkit-test/${uniqueName('discovery')}/`;
    const a = await aRegistry({ prefix });
    const b = await aRegistry({ prefix });
    await a.register(anInstance({ id: 'c1' }));
    await b.register(anInstance({ id: 'c2', port: 4012 }));
    await waitFor(() => a.instances('catalog').length === 2 && b.instances('catalog').length === 2, { what: 'both registrations' });
    expect(ids(a.instances('catalog'))).toEqual(['c1', 'c2']);
    expect(ids(b.instances('catalog'))).toEqual(['c1', 'c2']);
  });

  it('loads what was registered before it started', async () => {
    const prefix = `/nestkit-test/${uniqueName('discovery')}/`;
    const a = await aRegistry({ prefix });
    await a.register(anInstance({ id: 'c1', zone: 'eu-1', metadata: { weight: '3' } }));
    const late = await aRegistry({ prefix });
    expect(late.instance('c1')).toEqual(anInstance({ id: 'c1', zone: 'eu-1', metadata: { weight: '3' } }));
  });
});
