import { Inject, Injectable } from '@nestjs/common';
import { DISCOVERY_BACKEND } from './discovery.backends';
import { reportsStatus } from './registry-status';

/**
 * Reports the service registry in `/health/ready`: `degraded` (not failed) while the backend is
 * unreachable, since the last known instance list keeps serving traffic. Add it to the service's
 * health indicators.
 */
@Injectable()
export class RegistryReadiness {
  readonly name = 'registry';
  readonly critical = false;

  constructor(@Inject(DISCOVERY_BACKEND) private readonly backend: object) {}

  async check(): Promise<void> {
    if (!reportsStatus(this.backend)) return;
    const status = this.backend.status();
    if (status.state === 'degraded') {
      throw new Error(`registry unreachable since ${status.since.toISOString()} (${status.lastError ?? 'unknown error'}); serving the last known instances`);
    }
  }
}
