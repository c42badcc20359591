import { HttpCache } from './http-cache';
import { aGatedOrigin, anOrigin, aRequest } from './http-cache.fixture';
import type { StoredResponse } from './http-cache.types';
import { ManualClock } from './manual.clock';
import { MemoryCacheStore } from './memory.cache-store';

function response(headers: Record<string, string>, body: string, status = 200): StoredResponse {
  return { status, headers, body: Buffer.from(body) };
}

describe(`${HttpCache.name} single-flight`, () => {
  let sut: HttpCache;

  beforeEach(() => {
    const clock = new ManualClock();
    sut = new HttpCache({ store: new MemoryCacheStore({ maxBytes: 1024 * 1024, now: clock.now }), now: clock.now });
  });

  it('makes exactly one origin call for 1,000 concurrent misses of one cold key', async () => {
    const origin = aGatedOrigin(response({ 'cache-control': 'max-age=60' }, 'shared'));
    const all = Array.from({ length: 1_000 }, () => sut.serve(aRequest('/hot'), origin));
    await vi.waitFor(() => expect(origin.calls).toBe(1));
    origin.release();
    const results = await Promise.all(all);
    expect(origin.calls).toBe(1);
    expect(new Set(results.map((r) => `${r.cache} ${r.response.status} ${r.response.body.toString()}`))).toEqual(new Set(['miss 200 shared']));
    expect((await sut.serve(aRequest('/hot'), origin)).cache).toBe('hit');
  });

  it('does not hand a response it may not store to the requests that waited for it', async () => {
    const leader = aGatedOrigin(response({ 'cache-control': 'private, max-age=60' }, 'for the leader only'));
    const others = anOrigin({ 'cache-control': 'private, max-age=60' }, 'their own');
    const first = sut.serve(aRequest('/me', { cookie: 'session=a' }), leader);
    await vi.waitFor(() => expect(leader.calls).toBe(1));
    const rest = Array.from({ length: 9 }, () => sut.serve(aRequest('/me', { cookie: 'session=b' }), others));
    leader.release();
    expect((await first).response.body.toString()).toBe('for the leader only');
    expect((await Promise.all(rest)).map((r) => r.response.body.toString())).toEqual(Array(9).fill('their own'));
    expect(others.calls).toBe(9);
  });

  it('shares a cold key only with requests of the same variant', async () => {
    const headers = { 'cache-control': 'max-age=60', vary: 'accept-language' };
    const en = aGatedOrigin(response(headers, 'hello'));
    const de = anOrigin(headers, 'hallo');
    const first = sut.serve(aRequest('/greeting', { 'accept-language': 'en' }), en);
    await vi.waitFor(() => expect(en.calls).toBe(1));
    const sameVariant = sut.serve(aRequest('/greeting', { 'accept-language': 'en' }), de);
    const otherVariant = sut.serve(aRequest('/greeting', { 'accept-language': 'de' }), de);
    en.release();
    expect((await first).response.body.toString()).toBe('hello');
    expect((await sameVariant).response.body.toString()).toBe('hello');
    expect((await otherVariant).response.body.toString()).toBe('hallo');
    expect(de.calls).toBe(1);
  });

  it('does not pass a 304 the origin gave a conditional request to unconditional ones', async () => {
    const leader = aGatedOrigin(response({ etag: '"1"' }, '', 304));
    const full = anOrigin({ 'cache-control': 'max-age=60', etag: '"1"' }, 'full body');
    const conditional = sut.serve(aRequest('/p', { 'if-none-match': '"1"' }), leader);
    await vi.waitFor(() => expect(leader.calls).toBe(1));
    const unconditional = sut.serve(aRequest('/p'), full);
    leader.release();
    expect((await conditional).response.status).toBe(304);
    expect(await unconditional).toMatchObject({ cache: 'miss', response: { status: 200 } });
    expect((await unconditional).response.body.toString()).toBe('full body');
  });

  it('answers a waiting conditional request with 304 when the shared response has its ETag', async () => {
    const origin = aGatedOrigin(response({ 'cache-control': 'max-age=60', etag: '"1"' }, 'full body'));
    const plain = sut.serve(aRequest('/p'), origin);
    const conditional = sut.serve(aRequest('/p', { 'if-none-match': '"1"' }), origin);
    await vi.waitFor(() => expect(origin.calls).toBe(1));
    origin.release();
    expect((await plain).response.status).toBe(200);
    expect((await conditional).response).toMatchObject({ status: 304, headers: { etag: '"1"' } });
  });

  it('rejects every waiting request with the origin error, then tries again', async () => {
    let fail = true;
    let calls = 0;
    const origin = async (): Promise<StoredResponse> => {
      calls++;
      await new Promise((resolve) => setImmediate(resolve));
      if (fail) throw new Error('upstream 10.0.0.7:4002 refused the connection');
      return response({ 'cache-control': 'max-age=60' }, 'ok');
    };
    const all = await Promise.allSettled(Array.from({ length: 50 }, () => sut.serve(aRequest('/p'), origin)));
    expect(calls).toBe(1);
    expect(all.every((r) => r.status === 'rejected' && /refused the connection/.test(String(r.reason)))).toBe(true);
    fail = false;
    expect((await sut.serve(aRequest('/p'), origin)).cache).toBe('miss');
    expect(calls).toBe(2);
  });
});
