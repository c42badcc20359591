import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';

/**
 * Whether this instance should receive new traffic. It turns to draining when shutdown begins, so
 * `/health/ready` fails (and the registry marks the instance draining) while in-flight requests finish.
 */
@Injectable()
export class LifecycleState implements BeforeApplicationShutdown {
  private readonly logger = new Logger(LifecycleState.name);
  private drainingSince: number | undefined;
  private readonly listeners = new Set<() => void | Promise<void>>();

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  /** Calls `listener` when draining begins (e.g. to mark the registry entry draining). */
  onDrain(listener: () => void | Promise<void>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    if (this.draining) return;
    this.drainingSince = Date.now();
    this.logger.log(`draining before shutdown${signal ? ` (${signal})` : ''}`);
    await Promise.allSettled([...this.listeners].map(async (listener) => listener()));
  }
}
