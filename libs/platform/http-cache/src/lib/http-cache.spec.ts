import { MemoryCacheStore } from './memory.cache-store';
import { FailingCacheStore } from './failing.cache-store';
import { HttpCache } from './http-cache';
import { aRequest, anOrigin } from './http-cache.fixture';
import { ManualClock } from './manual.clock';

describe(HttpCache.name, () => {
  let clock: ManualClock;
  let store: MemoryCacheStore;
  let errors: Error[];
  let sut: HttpCache;

  beforeEach(() => {
    clock = new ManualClock();
    store = new MemoryCacheStore({ maxBytes: 1024 * 1024, now: clock.now });
    errors = [];
    sut = new HttpCache({ store, now: clock.now, onError: (error) => errors.push(error), maxEntryBytes: 64 * 1024 });
  });

  async function twice(origin: ReturnType<typeof anOrigin>, request = aRequest()): Promise<string[]> {
    const first = await sut.serve(request, origin);
    const second = await sut.serve(request, origin);
    return [first.cache, second.cache];
  }

  describe('freshness', () => {
    it('serves a max-age response from the cache until it is stale, then refetches', async () => {
      const origin = anOrigin({ 'cache-control': 'max-age=60' }, (call) => `v${call}`);
      expect((await sut.serve(aRequest(), origin)).cache).toBe('miss');
      clock.advance(59_000);
      const hit = await sut.serve(aRequest(), origin);
      expect(hit).toMatchObject({ cache: 'hit', response: { status: 200, headers: { age: '59' } } });
      expect(hit.response.body.toString()).toBe('v1');
      clock.advance(1_000);
      const refetched = await sut.serve(aRequest(), origin);
      expect(refetched.cache).toBe('miss');
      expect(refetched.response.body.toString()).toBe('v2');
      expect(origin.calls).toBe(2);
    });

    it('prefers s-maxage over max-age, as a shared cache must', async () => {
      const origin = anOrigin({ 'cache-control': 'max-age=1, s-maxage=100' });
      await sut.serve(aRequest(), origin);
      clock.advance(50_000);
      expect((await sut.serve(aRequest(), origin)).cache).toBe('hit');
    });

    it('honours Expires when there is no max-age', async () => {
      const origin = anOrigin({ expires: new Date(clock.now() + 10_000).toUTCString() });
      await sut.serve(aRequest(), origin);
      clock.advance(9_000);
      expect((await sut.serve(aRequest(), origin)).cache).toBe('hit');
      clock.advance(2_000);
      expect((await sut.serve(aRequest(), origin)).cache).toBe('miss');
    });

    it.each([
      ['no-cache', 'no-cache'],
      ['no-store', 'max-age=60, no-store'],
      ['must-revalidate (http-cache-semantics revalidates it always)', 'max-age=60, must-revalidate'],
      ['private without a user', 'private, max-age=60'],
      ['no freshness at all', 'public'],
    ])('does not reuse a %s response', async (_name, cacheControl) => {
      expect(await twice(anOrigin({ 'cache-control': cacheControl }))).toEqual(['miss', 'miss']);
    });

    it('keeps the entry when a client asks for no-store', async () => {
      const origin = anOrigin();
      await sut.serve(aRequest(), origin);
      expect((await sut.serve(aRequest('/products/1', { 'cache-control': 'no-cache, no-store' }), origin)).cache).toBe('miss');
      expect((await sut.serve(aRequest(), origin)).cache).toBe('hit');
    });

    it('drops a stale entry whose refetch may no longer be stored', async () => {
      let cacheControl = 'max-age=10';
      const origin = async () => anOrigin({ 'cache-control': cacheControl })();
      await sut.serve(aRequest(), origin);
      clock.advance(11_000);
      cacheControl = 'no-store';
      await sut.serve(aRequest(), origin);
      await vi.waitFor(() => expect(store.size).toBe(0));
    });

    it('refetches when the request says Cache-Control: no-cache', async () => {
      const origin = anOrigin();
      await sut.serve(aRequest(), origin);
      expect((await sut.serve(aRequest('/products/1', { 'cache-control': 'no-cache' }), origin)).cache).toBe('miss');
      expect(origin.calls).toBe(2);
    });
  });

  describe('what is stored', () => {
    it.each([200, 203, 204, 300, 301, 404, 410])('stores status %i', async (status) => {
      expect(await twice(anOrigin({ 'cache-control': 'max-age=60' }, '', status))).toEqual(['miss', 'hit']);
    });

    it.each([206, 400, 500, 503])('does not store status %i', async (status) => {
      expect(await twice(anOrigin({ 'cache-control': 'max-age=60' }, '', status))).toEqual(['miss', 'miss']);
    });

    it('does not store a response that sets a cookie, even a public one', async () => {
      expect(await twice(anOrigin({ 'cache-control': 'public, max-age=60', 'set-cookie': ['a=1'] }))).toEqual(['miss', 'miss']);
    });

    it('does not store a response larger than maxEntryBytes', async () => {
      expect(await twice(anOrigin({ 'cache-control': 'max-age=60' }, 'x'.repeat(65 * 1024)))).toEqual(['miss', 'miss']);
      expect(store.size).toBe(0);
    });

    it('does not store an Authorization request unless the response is public', async () => {
      const request = aRequest('/me', { authorization: 'Bearer t' });
      expect(await twice(anOrigin({ 'cache-control': 'max-age=60' }), request)).toEqual(['miss', 'miss']);
      expect(await twice(anOrigin({ 'cache-control': 'public, max-age=60' }), request)).toEqual(['miss', 'hit']);
    });

    it('keeps query strings as given: reordered parameters are another entry', async () => {
      const origin = anOrigin();
      await sut.serve(aRequest('/p?a=1&b=2'), origin);
      expect((await sut.serve(aRequest('/p?b=2&a=1'), origin)).cache).toBe('miss');
      expect((await sut.serve(aRequest('/p?a=1&b=2'), origin)).cache).toBe('hit');
    });

    it('passes other methods through as bypass without storing', async () => {
      const origin = anOrigin();
      expect((await sut.serve(aRequest('/p', {}, undefined, 'POST'), origin)).cache).toBe('bypass');
      expect((await sut.serve(aRequest('/p'), origin)).cache).toBe('miss');
    });
  });

  describe('users', () => {
    it('stores a private response under its user only', async () => {
      const origin = anOrigin({ 'cache-control': 'private, max-age=60' }, (call) => `v${call}`);
      expect((await sut.serve(aRequest('/me', {}, 'alice'), origin)).cache).toBe('miss');
      expect((await sut.serve(aRequest('/me', {}, 'alice'), origin)).response.body.toString()).toBe('v1');
      expect((await sut.serve(aRequest('/me', {}, 'bob'), origin)).cache).toBe('miss');
      expect((await sut.serve(aRequest('/me'), origin)).cache).toBe('miss');
      expect(origin.calls).toBe(3);
    });

    it('never shares a public response fetched for a user', async () => {
      const origin = anOrigin({ 'cache-control': 'public, max-age=60' });
      await sut.serve(aRequest('/p', {}, 'alice'), origin);
      expect((await sut.serve(aRequest('/p'), origin)).cache).toBe('miss');
      expect((await sut.serve(aRequest('/p', {}, 'bob'), origin)).cache).toBe('miss');
      expect((await sut.serve(aRequest('/p', {}, 'alice'), origin)).cache).toBe('hit');
    });
  });

  describe('Vary', () => {
    it('keeps one entry per value of the varying request headers', async () => {
      const origin = anOrigin({ 'cache-control': 'max-age=60', vary: 'Accept-Language' }, (call) => `v${call}`);
      const en = aRequest('/p', { 'accept-language': 'en' });
      const de = aRequest('/p', { 'accept-language': 'de' });
      expect((await sut.serve(en, origin)).cache).toBe('miss');
      expect((await sut.serve(de, origin)).cache).toBe('miss');
      expect((await sut.serve(aRequest('/p'), origin)).cache).toBe('miss');
      const again = await Promise.all([sut.serve(en, origin), sut.serve(de, origin), sut.serve(aRequest('/p'), origin)]);
      expect(again.map((r) => [r.cache, r.response.body.toString()])).toEqual([['hit', 'v1'], ['hit', 'v2'], ['hit', 'v3']]);
    });

    it('never stores Vary: *', async () => {
      expect(await twice(anOrigin({ 'cache-control': 'max-age=60', vary: '*' }))).toEqual(['miss', 'miss']);
    });
  });

  describe('HEAD', () => {
    it('is answered from the GET entry without a body', async () => {
      const origin = anOrigin({ 'cache-control': 'max-age=60', 'content-length': '4' });
      await sut.serve(aRequest('/p'), origin);
      const head = await sut.serve(aRequest('/p', {}, undefined, 'HEAD'), origin);
      expect(head).toMatchObject({ cache: 'hit', response: { status: 200, headers: { 'content-length': '4' } } });
      expect(head.response.body.length).toBe(0);
      expect(origin.calls).toBe(1);
    });

    it('goes to the origin when cold and stores nothing a GET could use', async () => {
      const origin = anOrigin();
      expect((await sut.serve(aRequest('/p', {}, undefined, 'HEAD'), origin)).cache).toBe('miss');
      expect((await sut.serve(aRequest('/p'), origin)).cache).toBe('miss');
    });
  });

  describe('If-None-Match', () => {
    const etagged = { 'cache-control': 'max-age=60', etag: '"v7"', vary: 'accept', 'content-type': 'text/plain' };

    it.each(['"v7"', 'W/"v7"', '"v1", "v7"', '*'])('answers 304 without a body for %s', async (ifNoneMatch) => {
      const origin = anOrigin(etagged);
      await sut.serve(aRequest('/p'), origin);
      const result = await sut.serve(aRequest('/p', { 'if-none-match': ifNoneMatch }), origin);
      expect(result.cache).toBe('hit');
      expect(result.response.status).toBe(304);
      expect(result.response.body.length).toBe(0);
      expect(result.response.headers).toMatchObject({ etag: '"v7"', 'cache-control': 'max-age=60', vary: 'accept' });
      expect(result.response.headers['content-type']).toBeUndefined();
    });

    it('answers the full response when no tag matches', async () => {
      const origin = anOrigin(etagged);
      await sut.serve(aRequest('/p'), origin);
      const result = await sut.serve(aRequest('/p', { 'if-none-match': '"v6"' }), origin);
      expect(result.response.status).toBe(200);
      expect(result.response.body.toString()).toBe('body');
    });
  });

  describe('stale entries', () => {
    it('serves stale within stale-while-revalidate and revalidates once in the background', async () => {
      const origin = anOrigin({ 'cache-control': 'max-age=10, stale-while-revalidate=30' }, (call) => `v${call}`);
      await sut.serve(aRequest(), origin);
      clock.advance(20_000);
      const stale = await Promise.all(Array.from({ length: 20 }, () => sut.serve(aRequest(), origin)));
      expect(new Set(stale.map((r) => `${r.cache} ${r.response.body.toString()}`))).toEqual(new Set(['stale v1']));
      await vi.waitFor(async () => expect((await sut.serve(aRequest(), origin)).response.body.toString()).toBe('v2'));
      expect(origin.calls).toBe(2);
    });

    it('refetches past the stale-while-revalidate window', async () => {
      const origin = anOrigin({ 'cache-control': 'max-age=10, stale-while-revalidate=30' });
      await sut.serve(aRequest(), origin);
      clock.advance(41_000);
      expect((await sut.serve(aRequest(), origin)).cache).toBe('miss');
    });

    it('reports a failed background revalidation and keeps serving the stale entry', async () => {
      let fail = false;
      const origin = async () => {
        if (fail) throw new Error('upstream down');
        return anOrigin({ 'cache-control': 'max-age=10, stale-while-revalidate=30' })();
      };
      await sut.serve(aRequest(), origin);
      clock.advance(15_000);
      fail = true;
      expect((await sut.serve(aRequest(), origin)).cache).toBe('stale');
      await vi.waitFor(() => expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/background revalidation .* failed: upstream down/)]));
    });

    it('serves stale within stale-if-error when the origin fails or answers 5xx', async () => {
      let failure: 'throw' | 503 | undefined;
      const origin = async () => {
        if (failure === 'throw') throw new Error('connect ECONNREFUSED');
        return anOrigin({ 'cache-control': 'max-age=10, stale-if-error=60' }, 'good', failure ?? 200)();
      };
      await sut.serve(aRequest(), origin);
      clock.advance(30_000);
      failure = 'throw';
      expect(await sut.serve(aRequest(), origin)).toMatchObject({ cache: 'stale', response: { status: 200 } });
      failure = 503;
      expect((await sut.serve(aRequest(), origin)).response.body.toString()).toBe('good');
      clock.advance(60_000);
      expect(await sut.serve(aRequest(), origin)).toMatchObject({ cache: 'miss', response: { status: 503 } });
      failure = 'throw';
      await expect(sut.serve(aRequest(), origin)).rejects.toThrow('connect ECONNREFUSED');
    });
  });

  describe('purge', () => {
    it('removes tagged entries, which miss next time, and strips cache-tag from what it serves', async () => {
      const product = anOrigin({ 'cache-control': 'max-age=60', 'cache-tag': 'product:42 products' });
      const other = anOrigin({ 'cache-control': 'max-age=60', 'Cache-Tag': 'product:7,products' });
      const user = anOrigin({ 'cache-control': 'max-age=60', 'cache-tag': 'users' });
      const miss = await sut.serve(aRequest('/products/42'), product);
      expect(Object.keys(miss.response.headers)).not.toContain('cache-tag');
      await sut.serve(aRequest('/products/7'), other);
      await sut.serve(aRequest('/users'), user);
      expect((await sut.serve(aRequest('/products/42'), product)).response.headers['cache-tag']).toBeUndefined();

      expect(await sut.purge(['product:42'])).toBe(1);
      expect((await sut.serve(aRequest('/products/42'), product)).cache).toBe('miss');
      expect((await sut.serve(aRequest('/products/7'), other)).cache).toBe('hit');
      expect(await sut.purge(['products', ' '])).toBe(2);
      expect((await sut.serve(aRequest('/products/7'), other)).cache).toBe('miss');
      expect((await sut.serve(aRequest('/users'), user)).cache).toBe('hit');
    });

    it('rejects when the store fails, so the operator knows', async () => {
      sut = new HttpCache({ store: new FailingCacheStore(), onError: () => undefined });
      await expect(sut.purge(['products'])).rejects.toThrow(/store is down/);
    });
  });

  describe('a failing store', () => {
    it('passes requests through as bypass and reports the error', async () => {
      const failing = new FailingCacheStore();
      sut = new HttpCache({ store: failing, onError: (error) => errors.push(error) });
      const origin = anOrigin();
      const results = await Promise.all([sut.serve(aRequest(), origin), sut.serve(aRequest(), origin)]);
      expect(results.map((r) => r.cache)).toEqual(['bypass', 'bypass']);
      expect(origin.calls).toBe(2);
      expect(errors).toHaveLength(2);
    });

    it('still serves the miss when only writing fails', async () => {
      store.set = () => Promise.reject(new Error('disk full'));
      expect(await twice(anOrigin())).toEqual(['miss', 'miss']);
      expect(errors.map((e) => e.message)).toEqual(['disk full', 'disk full']);
    });

    it('survives an onError hook that throws', async () => {
      sut = new HttpCache({ store: new FailingCacheStore(), onError: () => { throw new Error('logger broke'); } });
      expect((await sut.serve(aRequest(), anOrigin())).cache).toBe('bypass');
    });
  });
});
