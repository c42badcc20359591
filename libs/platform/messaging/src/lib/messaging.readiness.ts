import { Inject, Injectable } from '@nestjs/common';
import { BUS_BACKEND, STREAM_BACKEND } from './messaging.tokens';

interface ReportsHealth {
  health(): Promise<void>;
}

function reportsHealth(backend: unknown): backend is ReportsHealth {
  return typeof (backend as Partial<ReportsHealth> | undefined)?.health === 'function';
}

/**
 * Reports the broker connections (RabbitMQ bus, Kafka stream) in `/health/ready`. The rule: a broker
 * outage shows as `degraded`, not as not-ready, because no request depends on a broker answering:
 * what a handler sends goes to its transactional outbox (published once the broker is back) and
 * consumers resume where their queue or committed offset left off. Taking every instance out of the
 * load balancer for it would turn a messaging delay into a full outage. The embedded bus has no
 * connection and always passes. Add it to the service's health indicators.
 */
@Injectable()
export class MessagingReadiness {
  readonly name = 'messaging';
  readonly critical = false;

  constructor(
    @Inject(BUS_BACKEND) private readonly bus: unknown,
    @Inject(STREAM_BACKEND) private readonly stream: unknown,
  ) {}

  async check(): Promise<void> {
    const backends = [...new Set([this.bus, this.stream])].filter(reportsHealth);
    const problems = (await Promise.allSettled(backends.map((backend) => backend.health())))
      .filter((result): result is PromiseRejectedResult => result.status === 'rejected')
      .map((result) => (result.reason instanceof Error ? result.reason.message : String(result.reason)));
    if (problems.length > 0) throw new Error(problems.join('; '));
  }
}
