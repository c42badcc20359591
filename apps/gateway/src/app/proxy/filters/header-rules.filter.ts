import type { RouteSpec } from '../../routes/route.schema';
import type { GatewayFilter, Next, ProxyExchange, ProxyResponse } from '../exchange';

/**
 * A route's header rules (`headers.request` / `headers.response` in the routes file): `set` adds or
 * replaces, `remove` drops, `rename` moves a request header's value to a new name. Request rules shape
 * what the service gets; response rules shape what the client gets from the service.
 */
export class HeaderRulesFilter implements GatewayFilter {
  readonly name = 'header-rules';

  handle(exchange: ProxyExchange, next: Next): Promise<ProxyResponse> {
    const rules = exchange.match.route.spec.headers;
    return rules ? this.apply(exchange, next, rules) : next(exchange);
  }

  private async apply(exchange: ProxyExchange, next: Next, rules: NonNullable<RouteSpec['headers']>): Promise<ProxyResponse> {
    const request = rules.request;
    if (request) {
      for (const [from, to] of Object.entries(request.rename ?? {})) {
        const value = exchange.req.headers[from];
        exchange.droppedHeaders.add(from);
        if (value !== undefined) exchange.upstreamHeaders[to] = Array.isArray(value) ? value.join(', ') : value;
      }
      for (const name of request.remove ?? []) exchange.droppedHeaders.add(name);
      Object.assign(exchange.upstreamHeaders, request.set);
    }
    const response = await next(exchange);
    if (rules.response) {
      for (const name of rules.response.remove ?? []) delete response.headers[name];
      Object.assign(response.headers, rules.response.set);
    }
    return response;
  }
}
