import { UnavailableError } from '@nestkit/errors';
import type { Envelope } from '../envelope/envelope';
import type { Publisher } from '../publisher';

/**
 * A {@link Publisher} fake that records what it accepted and can be told to reject the next publishes,
 * for testing producers and the outbox relay without a bus.
 */
export class RecordingPublisher implements Publisher {
  /** Every envelope accepted so far, in order. */
  readonly published: Envelope[] = [];
  /** How many `publish` calls were made, failed ones included. */
  calls = 0;
  private failuresLeft = 0;
  private failure: Error = new UnavailableError('publish failed (RecordingPublisher)', 'messaging.publish-failed');

  /** Makes the next `count` calls reject with `error` (an UnavailableError by default). */
  failNext(count = 1, error?: Error): this {
    this.failuresLeft = count;
    if (error) this.failure = error;
    return this;
  }

  async publish(envelopes: Envelope | readonly Envelope[]): Promise<void> {
    this.calls += 1;
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw this.failure;
    }
    const batch: readonly Envelope[] = Array.isArray(envelopes) ? envelopes : [envelopes as Envelope];
    this.published.push(...batch);
  }

  /** The types of the accepted envelopes, in order. */
  types(): string[] {
    return this.published.map((e) => e.type);
  }
}
