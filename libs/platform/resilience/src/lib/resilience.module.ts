import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { useUpstreamPolicies } from './resilient.decorator';
import { UpstreamPolicies, type UpstreamPoliciesOptions } from './upstream.policies';

/**
 * Provides {@link UpstreamPolicies} built from `upstreams` (one shared policy per upstream) to the whole
 * app and makes them the ones `@Resilient()` methods use.
 */
@Module({})
export class ResilienceModule implements OnApplicationShutdown {
  static forRoot(options: UpstreamPoliciesOptions): DynamicModule {
    return {
      module: ResilienceModule,
      global: true,
      providers: [
        {
          provide: UpstreamPolicies,
          useFactory: () => new UpstreamPolicies(options),
        },
      ],
      exports: [UpstreamPolicies],
    };
  }

  private readonly withdraw: () => void;

  constructor(@Inject(UpstreamPolicies) policies: UpstreamPolicies) {
    this.withdraw = useUpstreamPolicies(policies);
  }

  onApplicationShutdown(): void {
    this.withdraw();
  }
}
