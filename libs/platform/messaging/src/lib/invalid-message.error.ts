import { AppError } from '@nestkit/errors';

/**
 * A message that can never be handled as it is (its payload breaks the contract). Thrown by a handler,
 * or by a transport that validates on the consumer's side, it dead-letters the message at once
 * instead of retrying it.
 */
export class InvalidMessageError extends AppError {
  constructor(message: string) {
    super(message, { code: 'messaging.invalid-payload', kind: 'validation', retryable: false });
  }
}
