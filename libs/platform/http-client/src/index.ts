export { endToEndHeaders, type HeaderValues } from './lib/hop-by-hop';
export { HttpClient, type HttpClientOptions, type HttpRequest } from './lib/http-client';
export { HttpResponse } from './lib/http-response';
export { resilientHttpClient, type ResilientHttpClientOptions } from './lib/resilient-http-client';
