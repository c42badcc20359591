import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { Anonymous } from '@nestkit/auth';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { LifecycleState } from './lifecycle.state';
import { READINESS_INDICATORS } from './health.tokens';
import type { ReadinessIndicator } from './readiness-indicator';
import { withTimeout } from './with-timeout';

/**
 * `/health/live` (the process runs) and `/health/ready` (every dependency answers, not draining). Open to
 * probes with no credentials at all (`@Anonymous()`), even where every other route demands a service token.
 */
@Anonymous()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly lifecycle: LifecycleState,
    @Inject(READINESS_INDICATORS) private readonly readiness: ReadinessIndicator[],
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    if (this.lifecycle.draining) {
      throw new ServiceUnavailableException('draining: this instance is shutting down');
    }
    return this.health.check(this.readiness.map((indicator) => () => this.probe(indicator)));
  }

  private async probe(indicator: ReadinessIndicator): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(indicator.name);
    try {
      await withTimeout(indicator.check(), indicator.name);
      return session.up();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return indicator.critical === false ? session.up({ degraded: true, message }) : session.down({ message });
    }
  }
}
