import { UnavailableError } from '@nestkit/errors';

/**
 * An instance's own breaker refused the call: the instance was not called. It answers like any open
 * circuit (503 `circuit-open`), but says nothing new about the upstream, so the upstream's breaker, its
 * retry policy and outlier detection do not count it (see `isFault`). Counting it let the upstream's
 * half-open probes be refused by a still-open instance breaker and re-open the upstream's breaker, again
 * and again, long after the upstream had recovered.
 */
export class InstanceCircuitOpenError extends UnavailableError {
  constructor(message: string) {
    super(message, 'circuit-open');
  }
}
