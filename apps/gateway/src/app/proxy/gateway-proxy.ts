import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { REQUEST_AUTHENTICATOR, type RequestAuthenticator } from '@nestkit/auth';
import { CONFIG } from '@nestkit/config';
import { INSTANCER, type Instancer } from '@nestkit/discovery';
import { type CacheStore, HttpCache, MemoryCacheStore, RedisCacheStore } from '@nestkit/http-cache';
import { createRateLimitRedis, RateLimiter } from '@nestkit/rate-limit';
import type Redis from 'ioredis';
import pino from 'pino';
import { UpstreamTokens } from '../auth/upstream-tokens';
import { ApiDocs } from '../docs/api-docs';
import type { GatewayConfig } from '../gateway.config';
import { Upstreams } from '../routing/upstreams';
import { Routes } from '../routes/routes';
import { composeFilters } from './filter-chain';
import { ClientAddress } from './forwarding';
import { gatewayFilters } from './gateway-filters';
import { ProxyServer } from './proxy.server';
import { upstreamHandler } from './upstream.handler';

/** Request headers a browser may send cross-origin (the preflight's allow-list). */
const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', 'accept', 'accept-language', 'idempotency-key', 'if-match', 'if-none-match', 'x-request-id', 'x-version', 'traceparent'];
/** Response headers a cross-origin script may read. */
const CORS_EXPOSED_HEADERS = ['x-request-id', 'ratelimit', 'ratelimit-policy', 'retry-after', 'x-cache', 'etag', 'location', 'x-served-version'];

/**
 * The gateway's proxy, assembled from its parts (routes, filters, upstream clients, rate limiter,
 * cache) and mounted in front of Nest by `bootstrapService({ front })`.
 */
@Injectable()
export class GatewayProxy implements OnModuleDestroy {
  private readonly logger = new Logger('GatewayProxy');
  private readonly server: ProxyServer;
  private readonly redis: Redis[] = [];
  readonly limiter: RateLimiter;
  readonly cache: HttpCache;

  constructor(
    @Inject(CONFIG) config: GatewayConfig,
    @Inject(REQUEST_AUTHENTICATOR) authenticator: RequestAuthenticator,
    @Inject(INSTANCER) instancer: Instancer,
    routes: Routes,
    upstreams: Upstreams,
    tokens: UpstreamTokens,
    private readonly docs: ApiDocs,
  ) {
    this.limiter = new RateLimiter({
      store: config.RATE_LIMIT_STORE === 'redis' ? this.connect(config.RATE_LIMIT_REDIS_URL as string, config.RATE_LIMIT_TIMEOUT_MS) : 'memory',
      onStoreError: config.RATE_LIMIT_ON_STORE_ERROR,
      timeoutMs: config.RATE_LIMIT_TIMEOUT_MS,
      onError: throttled((error) => this.logger.warn(`${error.message}; failing ${config.RATE_LIMIT_ON_STORE_ERROR}`)),
    });
    const store: CacheStore =
      config.CACHE_STORE === 'redis'
        ? new RedisCacheStore({ redis: this.connect(config.CACHE_REDIS_URL as string, 250), keyPrefix: 'nestkit:gateway:cache:' })
        : new MemoryCacheStore({ maxBytes: config.CACHE_MAX_BYTES });
    this.cache = new HttpCache({ store, maxEntryBytes: config.CACHE_MAX_ENTRY_BYTES, onError: throttled((error) => this.logger.warn(`response cache: ${error.message}`)) });
    const addresses = new ClientAddress(config.TRUSTED_PROXIES);
    const filters = gatewayFilters({
      authenticator,
      limiter: this.limiter,
      cache: this.cache,
      cors: {
        origins: config.CORS_ALLOWED_ORIGINS,
        credentials: config.CORS_ALLOW_CREDENTIALS,
        allowedHeaders: CORS_ALLOWED_HEADERS,
        exposedHeaders: CORS_EXPOSED_HEADERS,
        maxAgeSeconds: config.CORS_MAX_AGE_S,
      },
    });
    const terminal = upstreamHandler({
      clientOf: (service) => upstreams.client(service),
      instancesOf: (service) => instancer.instances(service),
      serviceToken: (service) => tokens.headersFor(service),
      addresses,
    });
    this.server = new ProxyServer({
      table: () => routes.current,
      chain: composeFilters(filters, terminal),
      addresses,
      // Access lines go through pino directly (no per-request redaction pass: they hold no credentials).
      log: pino({ level: config.LOG_LEVEL, base: { service: 'gateway', context: 'proxy' } }),
    });
  }

  /** The front handler: the API docs (`/docs`), then the routes; true when one of them answers. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): boolean => (req.url?.startsWith('/docs') === true && this.docs.handle(req, res)) || this.server.handle(req, res);

  async onModuleDestroy(): Promise<void> {
    await this.limiter.close();
    await Promise.all(this.redis.map((client) => client.quit().catch(() => client.disconnect())));
  }

  private connect(url: string, timeoutMs: number): Redis {
    const client = createRateLimitRedis(url, { timeoutMs });
    client.on('error', throttled((error: Error) => this.logger.warn(`redis ${url}: ${error.message}`)));
    this.redis.push(client);
    return client;
  }
}

/** At most one call per 10 s, with a count of the ones skipped, so an outage does not flood the log. */
function throttled<T extends Error>(log: (error: T) => void, everyMs = 10_000): (error: T) => void {
  let last = 0;
  let skipped = 0;
  return (error) => {
    const now = Date.now();
    if (now - last < everyMs) {
      skipped += 1;
      return;
    }
    last = now;
    if (skipped > 0) error.message = `${error.message} (and ${skipped} more since the last report)`;
    skipped = 0;
    log(error);
  };
}
