import { Inject, Injectable, Logger } from '@nestjs/common';
import { READINESS_INDICATORS } from './health.tokens';
import type { ReadinessIndicator } from './readiness-indicator';
import { withTimeout } from './with-timeout';

/** Runs the readiness indicators outside a request, e.g. before the instance registers for traffic. */
@Injectable()
export class ReadinessGate {
  private readonly logger = new Logger(ReadinessGate.name);

  constructor(@Inject(READINESS_INDICATORS) private readonly indicators: ReadinessIndicator[]) {}

  /** Names and errors of the critical indicators that fail now; empty when the instance is ready. */
  async failures(): Promise<{ name: string; error: string }[]> {
    const results = await Promise.all(
      this.indicators.filter((indicator) => indicator.critical !== false).map(async (indicator) => {
        try {
          await withTimeout(indicator.check(), indicator.name);
          return undefined;
        } catch (error) {
          return { name: indicator.name, error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    return results.filter((r): r is { name: string; error: string } => r !== undefined);
  }

  /**
   * Resolves once every indicator passes (what `/health/ready` would answer 200 to); rejects after
   * `timeoutMs` naming what still fails, so an instance never registers for traffic it cannot serve.
   */
  async waitUntilReady(timeoutMs = 30_000, intervalMs = 250): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const failing = await this.failures();
      if (failing.length === 0) return;
      const detail = failing.map((f) => `${f.name}: ${f.error}`).join('; ');
      if (Date.now() >= deadline) throw new Error(`not ready after ${timeoutMs} ms: ${detail}`);
      this.logger.warn(`waiting to be ready: ${detail}`);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
