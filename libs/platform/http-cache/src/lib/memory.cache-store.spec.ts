import { describeCacheStore } from './cache-store.conformance';
import { recordBytes, type ResponseRecord } from './cache-store';
import { MemoryCacheStore } from './memory.cache-store';

describeCacheStore('memory', () => new MemoryCacheStore({ maxBytes: 1024 * 1024 }));

function aRecord(bodyBytes: number, tags: string[] = []): ResponseRecord {
  return {
    kind: 'response',
    policy: { v: 1, t: 0, sh: true, ch: 0.1, imm: 0, st: 200, resh: {}, rescc: {}, m: 'GET', a: true, reqh: null, reqcc: {} },
    body: Buffer.alloc(bodyBytes),
    tags,
  };
}

describe(MemoryCacheStore.name, () => {
  it('evicts least recently used records so the total never exceeds maxBytes', async () => {
    const maxBytes = 20_000;
    const sut = new MemoryCacheStore({ maxBytes });
    let peak = 0;
    for (let i = 0; i < 50; i++) {
      await sut.set(`k${i}`, aRecord(1_000), 60_000);
      peak = Math.max(peak, sut.bytes);
    }
    expect(peak).toBeLessThanOrEqual(maxBytes);
    expect(sut.size).toBeLessThan(50);
    expect(sut.size).toBe(Math.floor(maxBytes / (recordBytes(aRecord(1_000)) + 'k00'.length)));
    expect(await sut.get('k0')).toBeUndefined();
    expect(await sut.get('k49')).toBeDefined();
  });

  it('keeps a recently read record over older ones', async () => {
    const sut = new MemoryCacheStore({ maxBytes: 3 * (recordBytes(aRecord(1_000)) + 2) });
    await sut.set('k0', aRecord(1_000), 60_000);
    await sut.set('k1', aRecord(1_000), 60_000);
    await sut.set('k2', aRecord(1_000), 60_000);
    await sut.get('k0');
    await sut.set('k3', aRecord(1_000), 60_000);
    expect(await sut.get('k0')).toBeDefined();
    expect(await sut.get('k1')).toBeUndefined();
  });

  it('refuses a record larger than maxBytes without disturbing the rest', async () => {
    const sut = new MemoryCacheStore({ maxBytes: 5_000 });
    await sut.set('small', aRecord(100, ['t']), 60_000);
    await sut.set('huge', aRecord(10_000, ['t']), 60_000);
    expect(await sut.get('huge')).toBeUndefined();
    expect(await sut.get('small')).toBeDefined();
    expect(await sut.purge(['t'])).toBe(1);
  });

  it('drops evicted records from the tag index', async () => {
    const sut = new MemoryCacheStore({ maxBytes: 2 * (recordBytes(aRecord(1_000, ['t'])) + 2) });
    await sut.set('k0', aRecord(1_000, ['t']), 60_000);
    await sut.set('k1', aRecord(1_000, ['t']), 60_000);
    await sut.set('k2', aRecord(1_000, ['t']), 60_000);
    expect(await sut.purge(['t'])).toBe(2);
    expect(sut.bytes).toBe(0);
  });

  it('expires records by its own clock', async () => {
    let now = 1_000;
    const sut = new MemoryCacheStore({ maxBytes: 100_000, now: () => now });
    await sut.set('k', aRecord(10), 5_000);
    now += 4_999;
    expect(await sut.get('k')).toBeDefined();
    now += 2;
    expect(await sut.get('k')).toBeUndefined();
  });

  it('rejects a maxBytes that is not positive', () => {
    expect(() => new MemoryCacheStore({ maxBytes: 0 })).toThrow(/maxBytes must be a positive number/);
  });
});
