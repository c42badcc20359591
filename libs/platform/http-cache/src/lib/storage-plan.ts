import type CachePolicy from 'http-cache-semantics';
import { variantKey } from './cache-key';
import { ifNoneMatchHits, notModifiedHeaders, varyNames } from './cache-headers';
import type { ResponseRecord } from './cache-store';
import type { PolicyClass } from './clocked-policy';
import type { StoredResponse } from './http-cache.types';

/** A request as the cache reasons about it, derived once per {@link HttpCache.serve} call. */
export interface Lookup {
  readonly head: boolean;
  readonly user: string | undefined;
  /** Request headers, lower-case names, repeated values joined. */
  readonly headers: Readonly<Record<string, string>>;
  /** What http-cache-semantics sees of the request: url and the headers it reads, never credentials. */
  readonly policyRequest: CachePolicy.HttpRequest;
  readonly primary: string;
}

/** Where and how long a response is kept, decided by {@link storagePlan}. */
export interface StoragePlan {
  /** The primary key, or the variant key when the response has a `Vary`. */
  readonly key: string;
  readonly vary: readonly string[];
  readonly record: ResponseRecord;
  readonly ttlMs: number;
}

/**
 * Decides whether a fresh upstream response may be stored and reused for `lookup`, and under which key.
 * Never: `Set-Cookie`, `Vary: *`, what http-cache-semantics finds unstorable (no-store, `private` in the shared
 * cache, status not understood, Authorization without public/s-maxage) or without any freshness (TTL 0, which
 * includes `no-cache`). Requests with a `user` are judged as a private cache, since only that user reads them.
 */
export function storagePlan(
  Policy: PolicyClass,
  lookup: Lookup,
  response: { status: number; headers: Record<string, string>; body: Buffer; tags: string[] },
): StoragePlan | undefined {
  if (response.headers['set-cookie'] !== undefined) return undefined;
  const vary = varyNames(response.headers['vary']);
  if (vary[0] === '*') return undefined;
  const policy = new Policy(lookup.policyRequest, { status: response.status, headers: response.headers }, { shared: lookup.user === undefined });
  if (!policy.storable()) return undefined;
  const ttlMs = policy.timeToLive();
  if (ttlMs <= 0) return undefined;
  return {
    key: vary.length > 0 ? variantKey(lookup.primary, vary, lookup.headers) : lookup.primary,
    vary,
    record: { kind: 'response', policy: policy.toObject(), body: response.body, tags: response.tags },
    ttlMs,
  };
}

/** The request headers http-cache-semantics reads; credentials are reduced to a marker so none is ever stored. */
export function policyHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const picked: Record<string, string> = {};
  if (headers['cache-control'] !== undefined) picked['cache-control'] = headers['cache-control'];
  if (headers['pragma'] !== undefined) picked['pragma'] = headers['pragma'];
  if (headers['authorization'] !== undefined) picked['authorization'] = 'present';
  return picked;
}

const EMPTY = Buffer.alloc(0);

/** The response to send for `lookup`: 304 when its If-None-Match matches a 2xx's ETag, no body for HEAD. */
export function answer(lookup: Lookup, status: number, headers: Record<string, string | string[]>, body: Buffer): StoredResponse {
  const etag = headers['etag'];
  if (status >= 200 && status < 300 && typeof etag === 'string' && ifNoneMatchHits(lookup.headers['if-none-match'], etag)) {
    return { status: 304, headers: notModifiedHeaders(headers), body: EMPTY };
  }
  return { status, headers, body: lookup.head ? EMPTY : body };
}
