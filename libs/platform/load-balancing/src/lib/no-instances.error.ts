import { UnavailableError } from '@nestkit/errors';

/** Raised when a service has no healthy instance to call; maps to 503 at the edge and is retryable. */
export class NoInstancesError extends UnavailableError {
  constructor(readonly service: string) {
    super(`No healthy instance of service "${service}" is available`, 'no-instances');
  }
}
