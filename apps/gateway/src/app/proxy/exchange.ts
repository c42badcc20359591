import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Principal } from '@nestkit/auth';
import type { RouteMatch } from '../routes/route-table';

/** Header bag of a request or response on its way through the gateway (lower-case names). */
export type HeaderBag = Record<string, string | string[] | undefined>;

/**
 * One request on its way through the gateway's filter chain: what came in, what was matched, and what
 * the filters found out (the user, the client's address) or decided (headers to add to the answer).
 */
export interface ProxyExchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Upper-case. */
  readonly method: string;
  /** The path as received, without the query string. */
  readonly path: string;
  /** The query string without `?`, `''` when none. */
  readonly query: string;
  readonly match: RouteMatch;
  /** The client's address: the socket's, or the nearest untrusted one in `X-Forwarded-For` when the socket is a trusted proxy. */
  readonly clientIp: string;
  /** `x-request-id`: the client's when it sent a sane one, else the gateway's. */
  requestId: string;
  /** The authenticated user, once the auth filter has verified the token. */
  principal?: Principal;
  /**
   * Headers every answer to this request carries, whether from upstream or an error of the gateway's
   * (security headers, CORS, rate-limit state); filters add to it before calling `next`.
   */
  readonly responseHeaders: Record<string, string | string[]>;
  /** Extra headers for the upstream request (the service token, a route's `set` rules). */
  readonly upstreamHeaders: Record<string, string>;
  /** Incoming header names never sent upstream (a route's `remove` rules), beyond the hop-by-hop ones. */
  readonly droppedHeaders: Set<string>;
  /** Cancelled when the client goes away before the answer is complete. */
  readonly signal: AbortSignal;
  /** Set by the upstream call: the instance that answered, for `x-served-by` and the access log. */
  servedBy?: string;
}

/** An answer on its way back: from the upstream (streamed), the cache (buffered) or a filter (e.g. a preflight). */
export interface ProxyResponse {
  status: number;
  headers: Record<string, string | string[]>;
  /** `null`: no body (HEAD, 204, 304). */
  body: Readable | Buffer | null;
}

/** The rest of the chain after a filter. */
export type Next = (exchange: ProxyExchange) => Promise<ProxyResponse>;

/**
 * A gateway filter: a pre-filter does its work and calls `next`, a post-filter awaits `next` and adjusts
 * the answer, an around-filter (the cache) may answer without calling `next` at all. Throw an `AppError`
 * (`@nestkit/errors`) to answer with problem+json; `exchange.responseHeaders` are added to every answer,
 * errors included. A filter is one class; the order is the list in `gateway-filters.ts`.
 */
export interface GatewayFilter {
  /** For logs and the README's table. */
  readonly name: string;
  handle(exchange: ProxyExchange, next: Next): Promise<ProxyResponse>;
}
