import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import { Public, REQUEST_AUTHENTICATOR, type RequestAuthenticator } from '@nestkit/auth';
import { NotFoundError } from '@nestkit/errors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UpstreamTokens } from '../auth/upstream-tokens';
import { clientResponseHeaders, upstreamRequestHeaders } from './forwarded-headers';
import { isPublicRequest } from './route-access';
import { matchRoute, type Route, ROUTES } from './route-table';
import { Upstreams } from './upstreams';

const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE']);

function encodeBody(request: FastifyRequest): string | Buffer | undefined {
  if (BODYLESS.has(request.method) || request.body === undefined || request.body === null) return undefined;
  if (Buffer.isBuffer(request.body) || typeof request.body === 'string') return request.body;
  // Fastify already parsed (and so validated) the JSON; send it on as JSON.
  return JSON.stringify(request.body);
}

/**
 * Forwards every `/api/*` request to the service its route names. The route table decides per request
 * whether a user token is needed (`Route.public`); when it is, a missing or invalid one is answered
 * here with 401 problem+json and never reaches the service. The client's `Authorization` header is
 * forwarded as it came, so the service verifies the same signed token again; the gateway adds its own
 * service token (`x-service-authorization`), and no client can supply one (the header allow-list drops
 * it). Upstream statuses and bodies pass through unchanged (a 422 from orders stays a 422); only
 * gateway-side failures (no route, bad token, no instance, timeout, unreachable upstream, identity
 * unable to issue a service token) become the gateway's own problem+json errors.
 */
@Public() // the global guard lets every request in; the route table decides, request by request, below
@Controller('api')
export class ProxyHttpController {
  constructor(
    private readonly upstreams: Upstreams,
    private readonly tokens: UpstreamTokens,
    @Inject(ROUTES) private readonly routes: readonly Route[],
    @Inject(REQUEST_AUTHENTICATOR) private readonly authenticator: RequestAuthenticator,
  ) {}

  @All('*')
  async forward(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const match = matchRoute(this.routes, request.url);
    if (!match) throw new NotFoundError(`no route for ${request.method} ${request.url.split('?')[0]}`, 'gateway.no-route');
    if (!isPublicRequest(match, request.method)) await this.authenticator.authenticate(request.headers, {});
    const headers = {
      ...upstreamRequestHeaders(request.headers, { ip: request.ip, protocol: request.protocol, host: request.headers.host }),
      ...(await this.tokens.headersFor(match.route.service)),
    };
    const response = await this.upstreams.client(match.route.service).request({
      method: request.method,
      path: match.upstreamPath,
      headers,
      body: encodeBody(request),
      hedge: match.route.hedge,
    });
    // x-served-by names the instance that answered, as CDNs and proxies do, for tracing a request by hand.
    reply.status(response.status).headers({ ...clientResponseHeaders(response.headers), 'x-served-by': response.instanceId }).send(response.body);
  }
}
