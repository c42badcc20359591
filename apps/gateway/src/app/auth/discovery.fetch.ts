import type { HttpClient } from '@nestkit/http-client';

function urlOf(input: string | URL | Request): URL {
  return new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
}

function headersOf(init: RequestInit | undefined): Record<string, string> {
  return Object.fromEntries(new Headers(init?.headers).entries());
}

/**
 * A `fetch` that sends each request to a live instance of `client`'s service, found through discovery,
 * with the client's deadline, breakers and tracing; only the URL's path and query are used. The gateway
 * reaches identity's JWKS and token endpoint this way, so it follows identity across restarts and replicas.
 * Transport failures reject with the client's platform errors (no instance, unreachable, timeout).
 */
export function discoveryFetch(client: HttpClient): typeof fetch {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = urlOf(input);
    const body = typeof init?.body === 'string' ? init.body : undefined;
    const response = await client.request({
      method: init?.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      headers: headersOf(init),
      ...(body === undefined ? {} : { body }),
      ...(init?.signal ? { signal: init.signal } : {}),
    });
    const empty = response.body.length === 0 || [204, 304].includes(response.status);
    return new Response(empty ? null : new Uint8Array(response.body), { status: response.status, headers: response.headers });
  };
}
