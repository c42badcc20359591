import type { ServiceInstance } from '@nestkit/discovery';
import type { HttpClient } from '@nestkit/http-client';
import type { KeySource } from '../routes/route.schema';
import type { ProxyExchange, ProxyResponse } from './exchange';
import { type ClientAddress, clientHeaders, upstreamHeaders } from './forwarding';
import { requestBody } from './request-body';

/** What the terminal handler needs from the gateway: a client per service, and its own service token. */
export interface UpstreamHandlerDeps {
  readonly clientOf: (service: string) => HttpClient;
  readonly instancesOf: (service: string) => readonly ServiceInstance[];
  /** The gateway's `x-service-authorization` for `service`, or none. */
  readonly serviceToken: (service: string) => Promise<Record<string, string>>;
  readonly addresses: ClientAddress;
}

/**
 * The end of the filter chain: sends the request to an instance of the route's service through the
 * shared HTTP client (deadline, retry, hedge, breakers, balancer pick, outlier report) and hands the
 * answer back with its body still streaming. Chooses the canary version and the affinity key first.
 */
export function upstreamHandler(deps: UpstreamHandlerDeps): (exchange: ProxyExchange) => Promise<ProxyResponse> {
  return async (exchange) => {
    const { route, upstreamPath } = exchange.match;
    const incoming = exchange.req.headers;
    const read = incoming['content-length'] !== undefined || incoming['transfer-encoding'] !== undefined ? await requestBody(exchange.req, route.bodyLimitBytes) : undefined;
    // A GET or HEAD body has no meaning (RFC 9110 9.3.1); it is read (within the limit) and not sent on.
    const body = exchange.method === 'GET' || exchange.method === 'HEAD' ? discard(read) : read;
    const extra = exchange.upstreamHeaders;
    Object.assign(extra, deps.addresses.headers(exchange.req, exchange.clientIp), await deps.serviceToken(route.service));
    let filter: ((instance: ServiceInstance) => boolean) | undefined;
    if (route.versions) {
      const split = route.versions.spec;
      const forced = headerValue(exchange.req.headers[split.header]) ?? (split.cookie ? cookie(exchange.req.headers.cookie, split.cookie) : undefined);
      const choice = route.versions.choose(deps.instancesOf(route.service), forced, exchange.principal?.subject);
      filter = choice?.filter;
      if (choice) exchange.responseHeaders['x-served-version'] = choice.version;
    }
    const answer = await deps.clientOf(route.service).call({
      method: exchange.method,
      path: upstreamPath,
      headers: upstreamHeaders(exchange.req.headers, exchange.droppedHeaders, extra),
      body,
      signal: exchange.signal,
      timeoutMs: route.timeoutMs,
      key: route.key ? keyOf(route.key, exchange) : undefined,
      balancer: route.balancer,
      filter,
      hedge: route.hedge,
      retry: route.retry,
    });
    exchange.servedBy = answer.instance.id;
    const headers = clientHeaders(answer.headers);
    // x-served-by names the instance that answered, as CDNs and proxies do, for tracing a request by hand.
    headers['x-served-by'] = answer.instance.id;
    return { status: answer.status, headers, body: answer.body };
  };
}

function discard(body: Awaited<ReturnType<typeof requestBody>>): undefined {
  if (body && !Buffer.isBuffer(body)) body.resume();
  return undefined;
}

/** The consistent-hash key of a request, from where the route says. */
function keyOf(source: KeySource, exchange: ProxyExchange): string | undefined {
  if ('header' in source) return headerValue(exchange.req.headers[source.header]);
  if ('cookie' in source) return cookie(exchange.req.headers.cookie, source.cookie);
  if ('param' in source) return exchange.match.params[source.param];
  return exchange.principal?.subject;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === '' ? undefined : text;
}

/** One cookie's value from a `Cookie` header, without parsing the others. */
export function cookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value) || undefined;
      } catch {
        return value || undefined;
      }
    }
  }
  return undefined;
}
