import type { GatewayFilter, Next, ProxyExchange, ProxyResponse } from './exchange';

/**
 * Composes filters around the terminal handler once, at boot: `filters[0]` runs first, and each one's
 * `next` is a function made here, so a request allocates no closures on its way down the chain.
 */
export function composeFilters(filters: readonly GatewayFilter[], terminal: Next): Next {
  let next: Next = terminal;
  for (let index = filters.length - 1; index >= 0; index -= 1) {
    const filter = filters[index] as GatewayFilter;
    const after = next;
    next = (exchange: ProxyExchange): Promise<ProxyResponse> => filter.handle(exchange, after);
  }
  return next;
}
