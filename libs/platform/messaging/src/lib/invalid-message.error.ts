import { AppError, ForbiddenError, UnauthenticatedError } from '@nestkit/errors';

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

/**
 * Runs `check` (e.g. verifying who sent a message) and turns its refusal, an `UnauthenticatedError` or
 * `ForbiddenError`, into an {@link InvalidMessageError} that starts with `what`, so the message is
 * dead-lettered at its first delivery: a forged or unsigned message never becomes valid by retrying. Any
 * other failure (the signing keys cannot be fetched) is rethrown as it is and stays retryable.
 */
export async function refusedUnless<T>(what: string, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    if (error instanceof UnauthenticatedError || error instanceof ForbiddenError) throw new InvalidMessageError(`${what} refused: ${error.message}`);
    throw error;
  }
}
