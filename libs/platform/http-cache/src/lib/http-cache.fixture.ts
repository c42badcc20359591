import type { CacheableRequest, StoredResponse } from './http-cache.types';

/** A GET request for `url` with `headers`, optionally authenticated as `user`. */
export function aRequest(url = '/products/1', headers: CacheableRequest['headers'] = {}, user?: string, method = 'GET'): CacheableRequest {
  return user === undefined ? { method, url, headers } : { method, url, headers, user };
}

/** An origin answering `status`, `headers` and `body` (`body` may be a function of the call number), counting calls. */
export function anOrigin(
  headers: Record<string, string | string[]> = { 'cache-control': 'max-age=60' },
  body: string | ((call: number) => string) = 'body',
  status = 200,
): (() => Promise<StoredResponse>) & { calls: number } {
  const origin = Object.assign(
    async (): Promise<StoredResponse> => {
      origin.calls++;
      return { status, headers: { ...headers }, body: Buffer.from(typeof body === 'function' ? body(origin.calls) : body) };
    },
    { calls: 0 },
  );
  return origin;
}

/** An origin whose answers the test releases by hand, to hold misses in flight. */
export function aGatedOrigin(response: StoredResponse): (() => Promise<StoredResponse>) & { calls: number; release(): void } {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const origin = Object.assign(
    async (): Promise<StoredResponse> => {
      origin.calls++;
      await gate;
      return response;
    },
    { calls: 0, release: () => open() },
  );
  return origin;
}
