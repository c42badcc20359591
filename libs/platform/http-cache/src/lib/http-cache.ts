import type CachePolicy from 'http-cache-semantics';
import { primaryKey, variantKey } from './cache-key';
import { cacheTags, flatHeaders, withoutCacheTag } from './cache-headers';
import { type CacheStore, recordBytes, type ResponseRecord } from './cache-store';
import { clockedPolicy, type PolicyClass } from './clocked-policy';
import type { CacheableRequest, CacheResult, CacheStatus, HttpCacheOptions, StoredResponse } from './http-cache.types';
import { answer, type Lookup, policyHeaders, type StoragePlan, storagePlan } from './storage-plan';

const DEFAULT_MAX_ENTRY_BYTES = 1024 * 1024;

/** A stored response found for a lookup, with its parsed policy. */
interface Found {
  readonly key: string;
  readonly record: ResponseRecord;
  readonly policy: CachePolicy;
}

/** One origin call's result, shared by every request that joined its flight. */
interface Outcome {
  readonly response: StoredResponse;
  readonly cache: CacheStatus;
  /** False when the response may only go to the request that caused it (unstorable: private, no-store, 304...). */
  readonly shareable: boolean;
  readonly key: string;
  readonly vary: readonly string[];
  /** Settles once the response is stored (or dropped); the flight stays joinable until then. */
  readonly written: Promise<void>;
}

/**
 * The gateway's HTTP response cache: serves GET and HEAD requests from a {@link CacheStore} by the rules of
 * RFC 9111 as http-cache-semantics implements them, calls the origin once per cold key however many requests
 * wait for it (single-flight), and drops entries by tag. A failing store makes it a pass-through, never a failure.
 */
export class HttpCache {
  private readonly store: CacheStore;
  private readonly maxEntryBytes: number;
  private readonly onError: (error: Error) => void;
  private readonly Policy: PolicyClass;
  private readonly flights = new Map<string, Promise<Outcome>>();

  constructor(options: HttpCacheOptions) {
    this.store = options.store;
    this.maxEntryBytes = options.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
    this.onError = options.onError ?? ((error) => process.emitWarning(error));
    this.Policy = clockedPolicy(options.now ?? Date.now);
  }

  /**
   * Serves `request` from the cache or through `origin` (called with no arguments, it returns the upstream's full
   * response). Concurrent misses for one key share one origin call. Answers 304 without a body when the request's
   * If-None-Match matches the ETag of a 2xx response it serves. Rejects only when `origin` does.
   */
  async serve(request: CacheableRequest, origin: () => Promise<StoredResponse>): Promise<CacheResult> {
    const method = request.method.toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') return { response: await origin(), cache: 'bypass' };
    const lookup = this.lookup(request, method === 'HEAD');
    let found: Found | string;
    try {
      found = await this.find(lookup);
    } catch (error) {
      this.report(error);
      return { response: await origin(), cache: 'bypass' };
    }
    if (typeof found === 'string') return this.fetch(found, lookup, origin);
    const { response, revalidation } = found.policy.evaluateRequest(lookup.policyRequest);
    if (!response) return this.fetch(found.key, lookup, origin, found);
    // A HEAD's origin call returns no body, so only GETs refresh an entry in the background.
    if (revalidation && !lookup.head) this.refresh(found.key, lookup, origin);
    return { response: answer(lookup, found.record.policy.st, response.headers as Record<string, string>, found.record.body), cache: revalidation ? 'stale' : 'hit' };
  }

  /**
   * Removes every entry tagged (response header `cache-tag`) with any of `tags`; resolves to how many went.
   * Rejects when the store fails, so an operator knows the purge did not happen.
   */
  async purge(tags: readonly string[]): Promise<number> {
    const wanted = tags.map((tag) => tag.trim()).filter((tag) => tag.length > 0);
    return wanted.length === 0 ? 0 : this.store.purge(wanted);
  }

  private lookup(request: CacheableRequest, head: boolean): Lookup {
    const headers = flatHeaders(request.headers);
    return {
      head,
      user: request.user,
      headers,
      policyRequest: { method: 'GET', url: request.url, headers: policyHeaders(headers) },
      primary: primaryKey(request.url, request.user),
    };
  }

  /** The stored response for `lookup`, or the key a miss must fill (primary, or variant when a Vary is known). */
  private async find(lookup: Lookup): Promise<Found | string> {
    let key = lookup.primary;
    let record = await this.store.get(key);
    if (record?.kind === 'vary') {
      key = variantKey(lookup.primary, record.names, lookup.headers);
      record = await this.store.get(key);
    }
    if (record?.kind !== 'response') return key;
    return { key, record, policy: this.Policy.fromObject(record.policy) };
  }

  private refresh(key: string, lookup: Lookup, origin: () => Promise<StoredResponse>): void {
    if (this.flights.has(key)) return;
    this.fetch(key, lookup, origin).catch((error: unknown) => {
      this.report(new Error(`http-cache: background revalidation of ${key} failed: ${messageOf(error)}`, { cause: error }));
    });
  }

  /** Joins the flight for `key` or starts one; joiners whose variant or rights differ call the origin themselves. */
  private async fetch(key: string, lookup: Lookup, origin: () => Promise<StoredResponse>, stale?: Found): Promise<CacheResult> {
    const flightKey = lookup.head ? `HEAD ${key}` : key;
    const running = this.flights.get(flightKey);
    if (running) {
      const outcome = await running;
      if (outcome.shareable && this.sameVariant(outcome, lookup)) return this.shared(lookup, outcome);
      return this.shared(lookup, await this.callOrigin(key, lookup, origin, stale));
    }
    const flight = this.callOrigin(key, lookup, origin, stale);
    this.flights.set(flightKey, flight);
    flight
      .then((outcome) => outcome.written, () => undefined)
      .finally(() => this.flights.delete(flightKey));
    return this.shared(lookup, await flight);
  }

  private sameVariant(outcome: Outcome, lookup: Lookup): boolean {
    return outcome.vary.length === 0 || variantKey(lookup.primary, outcome.vary, lookup.headers) === outcome.key;
  }

  private shared(lookup: Lookup, outcome: Outcome): CacheResult {
    if (!outcome.shareable) return { response: outcome.response, cache: outcome.cache };
    const { status, headers, body } = outcome.response;
    return { response: answer(lookup, status, headers, body), cache: outcome.cache };
  }

  private async callOrigin(key: string, lookup: Lookup, origin: () => Promise<StoredResponse>, stale?: Found): Promise<Outcome> {
    let upstream: StoredResponse;
    try {
      upstream = await origin();
    } catch (error) {
      if (stale && this.staleIfError(stale, lookup)) return this.staleOutcome(stale);
      throw error;
    }
    if (stale && upstream.status >= 500 && this.staleIfError(stale, lookup, upstream.status)) return this.staleOutcome(stale);
    const flat = flatHeaders(upstream.headers);
    const tags = cacheTags(flat);
    delete flat['cache-tag'];
    const response: StoredResponse = { status: upstream.status, headers: withoutCacheTag(upstream.headers), body: upstream.body };
    const plan = storagePlan(this.Policy, lookup, { status: upstream.status, headers: flat, body: upstream.body, tags });
    let written = Promise.resolve();
    if (plan && !lookup.head) written = this.write(lookup, plan);
    // Only when the response changed: a client's no-store must not evict an entry other clients use.
    else if (stale && !lookup.head && lookup.policyRequest.headers['cache-control'] === undefined) written = this.drop(stale.key);
    return { response, cache: 'miss', shareable: plan !== undefined, key: plan?.key ?? key, vary: plan?.vary ?? [], written };
  }

  /** True when the stale entry's `stale-if-error` window allows serving it instead of this failure. */
  private staleIfError(stale: Found, lookup: Lookup, status = 503): boolean {
    return !stale.policy.revalidatedPolicy(lookup.policyRequest, { status, headers: {} }).modified;
  }

  private staleOutcome(stale: Found): Outcome {
    const headers = stale.policy.responseHeaders() as Record<string, string>;
    const response = { status: stale.record.policy.st, headers, body: stale.record.body };
    return { response, cache: 'stale', shareable: true, key: stale.key, vary: [], written: Promise.resolve() };
  }

  private async write(lookup: Lookup, plan: StoragePlan): Promise<void> {
    if (recordBytes(plan.record) > this.maxEntryBytes) return;
    try {
      const vary = plan.vary.length > 0 ? this.store.set(lookup.primary, { kind: 'vary', names: plan.vary }, plan.ttlMs) : undefined;
      await Promise.all([vary, this.store.set(plan.key, plan.record, plan.ttlMs)]);
    } catch (error) {
      this.report(error);
    }
  }

  /** Forgets an entry the origin no longer lets us store, so it stops taking room. */
  private async drop(key: string): Promise<void> {
    try {
      await this.store.delete(key);
    } catch (error) {
      this.report(error);
    }
  }

  private report(error: unknown): void {
    try {
      this.onError(error instanceof Error ? error : new Error(`http-cache: ${messageOf(error)}`));
    } catch {
      // A throwing error hook must not turn a served request into a failed one.
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
