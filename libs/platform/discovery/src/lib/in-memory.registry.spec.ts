import { NotFoundError, ValidationError } from '@nestkit/errors';
import { describeInstancer, describeRegistry } from '../testing';
import { InMemoryRegistry } from './in-memory.registry';
import { anInstance } from './instance.fixture';

describeRegistry(InMemoryRegistry.name, () => new InMemoryRegistry());

describeInstancer(InMemoryRegistry.name, async (seed) => {
  const registry = new InMemoryRegistry();
  for (const instance of seed) await registry.register(instance);
  return registry;
});

describe(InMemoryRegistry.name, () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shares one registry per process, even across copies of the module', () => {
    const sut = InMemoryRegistry.shared();
    expect(InMemoryRegistry.shared()).toBe(sut);
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('nestkit.discovery.in-memory')]).toBe(sut);
    expect(new InMemoryRegistry()).not.toBe(sut);
  });

  it('drops an instance whose lease is not renewed, exactly at the ttl', async () => {
    vi.useFakeTimers();
    const sut = new InMemoryRegistry();
    const heard: number[] = [];
    sut.subscribe('catalog', (instances) => heard.push(instances.length));
    await sut.register(anInstance({ id: 'c1' }), { ttlMs: 1_000 });

    vi.advanceTimersByTime(999);
    expect(sut.instances('catalog')).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sut.instances('catalog')).toEqual([]);
    expect(sut.instance('c1')).toBeUndefined();
    expect(heard).toEqual([0, 1, 0]);
    await expect(sut.renew('c1')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps an instance that renews its lease in time', async () => {
    vi.useFakeTimers();
    const sut = new InMemoryRegistry();
    await sut.register(anInstance({ id: 'c1' }), { ttlMs: 1_000 });
    for (let beat = 0; beat < 5; beat += 1) {
      vi.advanceTimersByTime(900);
      await sut.renew('c1');
    }
    expect(sut.instances('catalog')).toHaveLength(1);
    vi.advanceTimersByTime(1_000);
    expect(sut.instances('catalog')).toEqual([]);
  });

  it('cancels the lease when the instance deregisters or registers again without one', async () => {
    vi.useFakeTimers();
    const sut = new InMemoryRegistry();
    await sut.register(anInstance({ id: 'c1' }), { ttlMs: 1_000 });
    await sut.register(anInstance({ id: 'c1' }));
    vi.advanceTimersByTime(5_000);
    expect(sut.instances('catalog')).toHaveLength(1);
    await sut.register(anInstance({ id: 'c2', port: 4012 }), { ttlMs: 1_000 });
    await sut.deregister('c2');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects an instance with an unusable address, naming the fields', async () => {
    const sut = new InMemoryRegistry();
    const error = await sut.register(anInstance({ host: '', port: 70_000 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['host', 'port']);
  });

  it('keeps notifying the other subscribers when one throws', async () => {
    const sut = new InMemoryRegistry();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    let calls = 0;
    sut.subscribe('catalog', (instances) => {
      if (instances.length > 0) throw new Error('listener bug');
    });
    sut.subscribe('catalog', () => (calls += 1));
    await sut.register(anInstance());
    expect(calls).toBe(2);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ message: 'listener bug' }), 'DiscoveryListenerError');
    warn.mockRestore();
  });

  it('hands out frozen snapshots that callers cannot corrupt', async () => {
    const sut = new InMemoryRegistry();
    await sut.register(anInstance({ metadata: { lane: 'blue' } }));
    const [instance] = sut.instances('catalog');
    expect(Object.isFrozen(sut.instances('catalog'))).toBe(true);
    expect(Object.isFrozen(instance.metadata)).toBe(true);
  });
});
