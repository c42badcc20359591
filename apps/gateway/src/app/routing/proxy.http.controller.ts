import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import { NotFoundError } from '@nestkit/errors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { matchRoute, type Route, ROUTES } from './route-table';
import { clientResponseHeaders, upstreamRequestHeaders } from './forwarded-headers';
import { Upstreams } from './upstreams';

const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE']);

function encodeBody(request: FastifyRequest): string | Buffer | undefined {
  if (BODYLESS.has(request.method) || request.body === undefined || request.body === null) return undefined;
  if (Buffer.isBuffer(request.body) || typeof request.body === 'string') return request.body;
  // Fastify already parsed (and so validated) the JSON; send it on as JSON.
  return JSON.stringify(request.body);
}

/**
 * Forwards every `/api/*` request to the service its route names. Upstream statuses and bodies pass
 * through unchanged (a 422 from orders stays a 422); only gateway-side failures (no route, no
 * instance, timeout, unreachable upstream) become the gateway's own problem+json errors.
 */
@Controller('api')
export class ProxyHttpController {
  constructor(
    private readonly upstreams: Upstreams,
    @Inject(ROUTES) private readonly routes: readonly Route[],
  ) {}

  @All('*')
  async forward(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const match = matchRoute(this.routes, request.url);
    if (!match) throw new NotFoundError(`no route for ${request.method} ${request.url.split('?')[0]}`, 'gateway.no-route');
    const headers = upstreamRequestHeaders(request.headers, { ip: request.ip, protocol: request.protocol, host: request.headers.host });
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
