import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@nestkit/auth';
import { ConfigModule } from '@nestkit/config';
import { DiscoveryModule, discoveryOptions, RegistryReadiness } from '@nestkit/discovery';
import { HealthModule } from '@nestkit/health';
import { LoggingModule } from '@nestkit/logging';
import { MessagingModule, messagingOptions, MessagingReadiness } from '@nestkit/messaging';
import { edgeVerifierOptions } from './auth/identity-endpoints';
import { UpstreamTokens } from './auth/upstream-tokens';
import { type GatewayConfig, gatewayConfigSchema } from './gateway.config';
import { PlatformHttpController } from './platform/platform.http.controller';
import { Routes } from './routes/routes';
import { CachePurgeSubscriber } from './cache/cache-purge.subscriber';
import { ApiDocs } from './docs/api-docs';
import { GatewayProxy } from './proxy/gateway-proxy';
import { Upstreams } from './routing/upstreams';
import { UpstreamsModule } from './routing/upstreams.module';

/**
 * The gateway: proxies the routes of its routes file and of what services announce to instances found
 * through discovery, through its filter chain (request id, security headers, CORS, edge auth, rate
 * limits, header rules, cache), adding its own service token to every upstream call.
 */
@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ service: 'gateway', schema: gatewayConfigSchema, values: config }),
        LoggingModule.forRoot({ service: 'gateway', level: config.LOG_LEVEL }),
        DiscoveryModule.forRoot(discoveryOptions('gateway', config)),
        UpstreamsModule,
        // The edge: user tokens only. The gateway is the caller of services, so it demands no service token itself.
        AuthModule.forRootAsync({ imports: [UpstreamsModule], inject: [Upstreams], useFactory: (upstreams: Upstreams) => edgeVerifierOptions(config, upstreams) }),
        // Catalog's stock events purge the response cache. The gateway reads the bus only: no stream, no outbox.
        MessagingModule.forRoot({ ...messagingOptions('gateway', config), stream: { backend: 'memory' } }),
        HealthModule.forRoot({ indicators: [RegistryReadiness, MessagingReadiness] }),
      ],
      // The proxy answers routed requests in front of Nest (see main.ts); Nest serves health and the platform API.
      controllers: [PlatformHttpController],
      providers: [UpstreamTokens, Routes, ApiDocs, GatewayProxy, CachePurgeSubscriber],
    };
  }
}
