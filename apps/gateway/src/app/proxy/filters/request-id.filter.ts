import { randomBytes } from 'node:crypto';
import type { GatewayFilter, Next, ProxyExchange, ProxyResponse } from '../exchange';

/** A client's request id is kept only when it is short and plain, so it cannot inject into logs or headers. */
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Request ids: keeps a sane `x-request-id` from the client or makes one (a per-process
 * random prefix and a counter: unique, and much cheaper than random bytes per request), and echoes the
 * id on every answer. The trace is the proxy's: the request's SERVER span continues the client's.
 */
export class RequestIdFilter implements GatewayFilter {
  readonly name = 'request-id';
  private readonly prefix = randomBytes(6).toString('base64url');
  private counter = 0;

  handle(exchange: ProxyExchange, next: Next): Promise<ProxyResponse> {
    const sent = exchange.req.headers['x-request-id'];
    exchange.requestId = typeof sent === 'string' && SANE_ID.test(sent) ? sent : `${this.prefix}-${(this.counter++).toString(36)}`;
    exchange.upstreamHeaders['x-request-id'] = exchange.requestId;
    exchange.responseHeaders['x-request-id'] = exchange.requestId;
    return next(exchange);
  }
}
