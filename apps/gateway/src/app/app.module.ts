import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestkit/config';
import { DiscoveryModule, discoveryOptions, RegistryReadiness } from '@nestkit/discovery';
import { HealthModule } from '@nestkit/health';
import { LoggingModule } from '@nestkit/logging';
import { type GatewayConfig, gatewayConfigSchema } from './gateway.config';
import { PlatformHttpController } from './platform/platform.http.controller';
import { ProxyHttpController } from './routing/proxy.http.controller';
import { ROUTES, routeTable } from './routing/route-table';
import { Upstreams } from './routing/upstreams';

/** The gateway: routes `/api/*` to services found through discovery. */
@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ service: 'gateway', schema: gatewayConfigSchema, values: config }),
        LoggingModule.forRoot({ service: 'gateway', level: config.LOG_LEVEL }),
        DiscoveryModule.forRoot(discoveryOptions('gateway', config)),
        HealthModule.forRoot({ indicators: [RegistryReadiness] }),
      ],
      // PlatformHttpController first: its static path must not be taken for a proxied one.
      controllers: [PlatformHttpController, ProxyHttpController],
      providers: [Upstreams, { provide: ROUTES, useValue: routeTable(config.HEDGED_ROUTES) }],
    };
  }
}
