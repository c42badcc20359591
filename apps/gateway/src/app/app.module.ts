import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@nestkit/auth';
import { ConfigModule } from '@nestkit/config';
import { DiscoveryModule, discoveryOptions, RegistryReadiness } from '@nestkit/discovery';
import { HealthModule } from '@nestkit/health';
import { LoggingModule } from '@nestkit/logging';
import { edgeVerifierOptions } from './auth/identity-endpoints';
import { UpstreamTokens } from './auth/upstream-tokens';
import { type GatewayConfig, gatewayConfigSchema } from './gateway.config';
import { PlatformHttpController } from './platform/platform.http.controller';
import { ProxyHttpController } from './routing/proxy.http.controller';
import { ROUTES, routeTable } from './routing/route-table';
import { Upstreams } from './routing/upstreams';
import { UpstreamsModule } from './routing/upstreams.module';

/**
 * The gateway: routes `/api/*` to services found through discovery, verifying the user token at the edge
 * (per route, see the route table) and adding its own service token to every upstream call.
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
        HealthModule.forRoot({ indicators: [RegistryReadiness] }),
      ],
      // PlatformHttpController first: its static path must not be taken for a proxied one.
      controllers: [PlatformHttpController, ProxyHttpController],
      providers: [UpstreamTokens, { provide: ROUTES, useValue: routeTable(config.HEDGED_ROUTES) }],
    };
  }
}
