import { createHash } from 'node:crypto';
import type { ServiceTokenSource } from '../messages/message-identity';
import { type IssuedToken, requestToken, type TokenEndpointOptions } from './token-endpoint.client';

/** How {@link ServiceTokenProvider} reaches identity and when it renews. */
export interface ServiceTokenProviderOptions extends TokenEndpointOptions {
  /** Renew this long before expiry (capped at half the token's lifetime); default 60 s. */
  renewBeforeSec?: number;
  /** Most on-behalf-of tokens kept (one per user token and audience); default 1000. */
  maxCachedExchanges?: number;
  clock?: () => Date;
}

interface Cached {
  token: string;
  renewAt: number;
  expiresAt: number;
}

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE_URN = 'urn:ietf:params:oauth:token-type:access_token';

/**
 * Gets this service's tokens from identity's `/oauth/token` (client credentials, and token exchange for
 * on-behalf-of) and caches each until shortly before it expires. Concurrent callers share one request;
 * when a renewal fails, a cached token that has not expired yet is still handed out.
 */
export class ServiceTokenProvider implements ServiceTokenSource {
  private readonly cache = new Map<string, Cached>();
  private readonly inflight = new Map<string, Promise<Cached>>();

  constructor(private readonly options: ServiceTokenProviderOptions) {}

  /** The service's own token for `audience`; all its allowed audiences when omitted. */
  token(audience?: string): Promise<string> {
    const grant: Record<string, string> = { grant_type: 'client_credentials', ...(audience ? { audience } : {}) };
    return this.cached(`cc:${audience ?? ''}`, grant);
  }

  /** A token saying this service acts for the holder of `userToken`, for `audience`. */
  onBehalfOf(userToken: string, audience?: string): Promise<string> {
    const key = `obo:${audience ?? ''}:${createHash('sha256').update(userToken).digest('base64url')}`;
    const grant: Record<string, string> = {
      grant_type: TOKEN_EXCHANGE,
      subject_token: userToken,
      subject_token_type: ACCESS_TOKEN_TYPE_URN,
      ...(audience ? { audience } : {}),
    };
    return this.cached(key, grant);
  }

  /** `Bearer <token>` for the `x-service-authorization` header of a call to `audience`. */
  async authorizationHeader(audience: string): Promise<string> {
    return `Bearer ${await this.token(audience)}`;
  }

  private now(): number {
    return (this.options.clock?.() ?? new Date()).getTime();
  }

  private async cached(key: string, grant: Record<string, string>): Promise<string> {
    const held = this.cache.get(key);
    if (held && this.now() < held.renewAt) return held.token;
    try {
      return (await this.fetchOnce(key, grant)).token;
    } catch (error) {
      if (held && this.now() < held.expiresAt) return held.token;
      throw error;
    }
  }

  private fetchOnce(key: string, grant: Record<string, string>): Promise<Cached> {
    const running = this.inflight.get(key);
    if (running) return running;
    const request = requestToken(this.options, grant)
      .then((issued) => this.store(key, issued))
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, request);
    return request;
  }

  private store(key: string, issued: IssuedToken): Cached {
    const now = this.now();
    const lifetimeMs = issued.expiresInSec * 1_000;
    const renewBeforeMs = Math.min((this.options.renewBeforeSec ?? 60) * 1_000, lifetimeMs / 2);
    const entry = { token: issued.token, renewAt: now + lifetimeMs - renewBeforeMs, expiresAt: now + lifetimeMs };
    this.evictExpired(now);
    this.cache.set(key, entry);
    return entry;
  }

  private evictExpired(now: number): void {
    for (const [key, entry] of this.cache) if (entry.expiresAt <= now) this.cache.delete(key);
    const max = this.options.maxCachedExchanges ?? 1_000;
    // Map iteration is insertion order, so the first keys are the oldest.
    for (const key of this.cache.keys()) {
      if (this.cache.size < max) break;
      this.cache.delete(key);
    }
  }
}
