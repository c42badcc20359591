import type CachePolicy from 'http-cache-semantics';
import type { CacheStore, ResponseRecord } from './cache-store';

/** Builds an empty store under test; called once per test. */
export type CacheStoreFactory = () => CacheStore | Promise<CacheStore>;

const MINUTE = 60_000;

function aPolicy(url: string): CachePolicy.CachePolicyObject {
  return {
    v: 1, t: 1_000, sh: true, ch: 0.1, imm: 86_400_000, st: 200,
    resh: { 'cache-control': 'max-age=60', 'content-type': 'application/json' },
    rescc: { 'max-age': '60' }, m: 'GET', u: url, a: true, reqh: null, reqcc: {},
  };
}

function aResponse(url: string, tags: string[] = [], body = `{"url":"${url}"}`): ResponseRecord {
  return { kind: 'response', policy: aPolicy(url), body: Buffer.from(body), tags };
}

/** Runs the contract every {@link CacheStore} must meet against the stores `factory` builds. */
export function describeCacheStore(name: string, factory: CacheStoreFactory): void {
  describe(`CacheStore conformance: ${name}`, () => {
    let sut: CacheStore;

    beforeEach(async () => {
      sut = await factory();
    });

    it('gives back what was set, body bytes, policy and tags included', async () => {
      const record = aResponse('/a', ['product:1'], '\u0000binary\u00ff');
      await sut.set('k1', record, MINUTE);
      const got = await sut.get('k1');
      expect(got).toMatchObject({ kind: 'response', policy: record.policy, tags: ['product:1'] });
      expect(Buffer.compare((got as ResponseRecord).body, record.body)).toBe(0);
    });

    it('keeps vary records', async () => {
      await sut.set('k1', { kind: 'vary', names: ['accept', 'accept-language'] }, MINUTE);
      expect(await sut.get('k1')).toEqual({ kind: 'vary', names: ['accept', 'accept-language'] });
    });

    it('answers undefined for a key never set', async () => {
      expect(await sut.get('missing')).toBeUndefined();
    });

    it('replaces the record under a key', async () => {
      await sut.set('k1', aResponse('/old'), MINUTE);
      await sut.set('k1', aResponse('/new'), MINUTE);
      expect(((await sut.get('k1')) as ResponseRecord).policy.u).toBe('/new');
    });

    it('deletes, telling whether there was a record', async () => {
      await sut.set('k1', aResponse('/a'), MINUTE);
      expect(await sut.delete('k1')).toBe(true);
      expect(await sut.delete('k1')).toBe(false);
      expect(await sut.get('k1')).toBeUndefined();
    });

    it('purges every record tagged with any of the tags and counts them', async () => {
      await sut.set('p1', aResponse('/products/1', ['product:1', 'products']), MINUTE);
      await sut.set('p2', aResponse('/products/2', ['product:2', 'products']), MINUTE);
      await sut.set('u1', aResponse('/users/1', ['user:1']), MINUTE);
      expect(await sut.purge(['product:1', 'products'])).toBe(2);
      expect(await sut.get('p1')).toBeUndefined();
      expect(await sut.get('p2')).toBeUndefined();
      expect(await sut.get('u1')).toBeDefined();
      expect(await sut.purge(['products'])).toBe(0);
      expect(await sut.purge(['never-used'])).toBe(0);
    });

    it('does not purge a record by a tag its replacement no longer has', async () => {
      await sut.set('k1', aResponse('/a', ['old']), MINUTE);
      await sut.set('k1', aResponse('/a', ['new']), MINUTE);
      expect(await sut.purge(['old'])).toBe(0);
      expect(await sut.get('k1')).toBeDefined();
      expect(await sut.purge(['new'])).toBe(1);
    });

    it('does not purge a deleted and re-set record by its old tag', async () => {
      await sut.set('k1', aResponse('/a', ['old']), MINUTE);
      await sut.delete('k1');
      await sut.set('k1', aResponse('/a', ['new']), MINUTE);
      expect(await sut.purge(['old'])).toBe(0);
      expect(await sut.get('k1')).toBeDefined();
    });

    it('forgets a record once its TTL passed', async () => {
      await sut.set('short', aResponse('/a'), 30);
      await sut.set('long', aResponse('/b'), MINUTE);
      const deadline = Date.now() + 5_000;
      while ((await sut.get('short')) !== undefined) {
        if (Date.now() > deadline) throw new Error('record with a 30 ms TTL still there after 5 s');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(await sut.get('long')).toBeDefined();
    });
  });
}
