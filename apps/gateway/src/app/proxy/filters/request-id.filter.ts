import { randomBytes } from 'node:crypto';
import { continueFromHeaders, formatTraceparent } from '@nestkit/tracing';
import type { GatewayFilter, Next, ProxyExchange, ProxyResponse } from '../exchange';

/** A client's request id is kept only when it is short and plain, so it cannot inject into logs or headers. */
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Request ids and trace context: keeps a sane `x-request-id` from the client or makes one (a per-process
 * random prefix and a counter: unique, and much cheaper than random bytes per request), continues the
 * client's W3C trace as a child span (or starts one), and echoes the id on every answer.
 */
export class RequestIdFilter implements GatewayFilter {
  readonly name = 'request-id';
  private readonly prefix = randomBytes(6).toString('base64url');
  private counter = 0;

  handle(exchange: ProxyExchange, next: Next): Promise<ProxyResponse> {
    const sent = exchange.req.headers['x-request-id'];
    exchange.requestId = typeof sent === 'string' && SANE_ID.test(sent) ? sent : `${this.prefix}-${(this.counter++).toString(36)}`;
    exchange.traceparent = formatTraceparent(continueFromHeaders(exchange.req.headers));
    exchange.upstreamHeaders['x-request-id'] = exchange.requestId;
    exchange.upstreamHeaders['traceparent'] = exchange.traceparent;
    exchange.responseHeaders['x-request-id'] = exchange.requestId;
    return next(exchange);
  }
}
