import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { HttpCache, StoredResponse } from '@nestkit/http-cache';
import type { RouteSpec } from '../../routes/route.schema';
import type { GatewayFilter, Next, ProxyExchange, ProxyResponse } from '../exchange';

const NEVER = new AbortController().signal;

/**
 * The response cache (`cache` in a route, GET and HEAD only), over `@nestkit/http-cache`: answers from
 * the cache when it may, else makes one upstream call for all concurrent misses of a key. Requests with
 * credentials are cached per user (or per token) and never shared. The answer says `x-cache: hit|miss|stale|bypass`.
 *
 * A cached route's answers are read whole before they are sent (to be stored), so it suits the JSON
 * reads it is meant for, not downloads. The shared upstream call does not follow the first client's
 * cancellation (other clients wait on it); its deadline still bounds it.
 */
export class CacheFilter implements GatewayFilter {
  readonly name = 'cache';

  constructor(private readonly cache: HttpCache) {}

  handle(exchange: ProxyExchange, next: Next): Promise<ProxyResponse> {
    const settings = exchange.match.route.spec.cache;
    return settings && (exchange.method === 'GET' || exchange.method === 'HEAD') ? this.serve(exchange, next, settings) : next(exchange);
  }

  private async serve(exchange: ProxyExchange, next: Next, settings: NonNullable<RouteSpec['cache']>): Promise<ProxyResponse> {
    const url = exchange.query ? `${exchange.path}?${exchange.query}` : exchange.path;
    const result = await this.cache.serve({ method: exchange.method, url, headers: exchange.req.headers, user: cacheUser(exchange) }, async () => {
      const response = await next({ ...exchange, signal: NEVER });
      const stored: StoredResponse = { status: response.status, headers: response.headers, body: await bodyOf(response.body) };
      if (settings.defaultTtlMs > 0 && stored.headers['cache-control'] === undefined && stored.headers['expires'] === undefined) {
        stored.headers['cache-control'] = `s-maxage=${Math.floor(settings.defaultTtlMs / 1_000)}`;
      }
      return stored;
    });
    exchange.responseHeaders['x-cache'] = result.cache;
    const headers = { ...result.response.headers };
    if (result.response.body.length > 0) headers['content-length'] = String(result.response.body.length);
    return { status: result.response.status, headers, body: result.response.status === 304 ? null : result.response.body };
  }
}

/**
 * Whose entry this is: the verified user's; on a public route, a request that still carries a token gets
 * entries of that token's own (its hash), since the service may have answered for its holder. Only
 * requests with no credentials at all share entries.
 */
function cacheUser(exchange: ProxyExchange): string | undefined {
  if (exchange.principal) return `user:${exchange.principal.subject}`;
  const authorization = exchange.req.headers.authorization;
  return authorization === undefined ? undefined : `token:${createHash('sha256').update(authorization).digest('base64url')}`;
}

async function bodyOf(body: ProxyResponse['body']): Promise<Buffer> {
  if (body === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body as Readable) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
