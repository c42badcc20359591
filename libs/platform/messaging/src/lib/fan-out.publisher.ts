import type { Envelope } from './envelope/envelope';
import type { Publisher } from './publisher';

/**
 * Publishes every batch to each of its targets in turn and resolves once all of them accepted it; if one
 * rejects, the whole publish rejects and the outbox relay sends the batch again later, to every target
 * (consumers dedupe by envelope id, so a target that already had it changes nothing).
 */
export class FanOutPublisher implements Publisher {
  private readonly targets: readonly Publisher[];

  constructor(targets: readonly Publisher[]) {
    // The embedded bus may serve as bus and stream at once: publish to it once.
    this.targets = [...new Set(targets)];
  }

  async publish(envelopes: Envelope | readonly Envelope[]): Promise<void> {
    for (const target of this.targets) await target.publish(envelopes);
  }
}
