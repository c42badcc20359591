export { endToEndHeaders, type HeaderValues } from './lib/hop-by-hop';
export { HttpClient, type HttpClientOptions, type HttpRequest } from './lib/http-client';
export { HttpResponse } from './lib/http-response';
export type { Endpoint, Middleware } from './lib/middleware/endpoint';
export type { Attempt, Exchange } from './lib/middleware/exchange';
export { resilientHttpClient, type ResilientHttpClientOptions } from './lib/resilient-http-client';
export { UNAVAILABLE_STATUSES, type UpstreamAnswer, type UpstreamCall } from './lib/upstream-call';
