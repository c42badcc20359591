import { Inject, Injectable, Logger } from '@nestjs/common';
import { SERVICE_AUTHORIZATION_HEADER, ServiceTokenProvider } from '@nestkit/auth';
import { CONFIG } from '@nestkit/config';
import type { GatewayConfig } from '../gateway.config';
import { Upstreams } from '../routing/upstreams';
import { gatewayClientOptions } from './identity-endpoints';

/**
 * The gateway's own identity towards the services: a service token per upstream (audience = the
 * service's name), from identity's token endpoint, cached until shortly before it expires. Without
 * `AUTH_CLIENT_SECRET` (allowed outside production) it sends none, and services that demand one answer 401.
 */
@Injectable()
export class UpstreamTokens {
  private readonly logger = new Logger(UpstreamTokens.name);
  private readonly provider?: ServiceTokenProvider;

  constructor(@Inject(CONFIG) config: GatewayConfig, upstreams: Upstreams) {
    const options = gatewayClientOptions(config, upstreams);
    if (options) this.provider = new ServiceTokenProvider(options);
    else this.logger.warn('AUTH_CLIENT_SECRET is not set: the gateway sends no service token, so services that require one answer 401');
  }

  /** The `x-service-authorization` header for a call to `service`; 503 when identity cannot issue the token. */
  async headersFor(service: string): Promise<Record<string, string>> {
    if (!this.provider) return {};
    return { [SERVICE_AUTHORIZATION_HEADER]: await this.provider.authorizationHeader(service) };
  }
}
