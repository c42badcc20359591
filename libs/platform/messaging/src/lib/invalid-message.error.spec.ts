import { ForbiddenError, UnauthenticatedError, UnavailableError } from '@nestkit/errors';
import { InvalidMessageError, refusedUnless } from './invalid-message.error';

describe(refusedUnless.name, () => {
  it('passes the check’s result through', async () => {
    await expect(refusedUnless('stock-reserved m-1', async () => 'catalog')).resolves.toBe('catalog');
  });

  it.each([
    ['an UnauthenticatedError', new UnauthenticatedError('message carries no identity')],
    ['a ForbiddenError', new ForbiddenError('not yours')],
  ])('turns %s into an InvalidMessageError naming the message (dead-lettered at once)', async (_case, refusal) => {
    const refused = refusedUnless('stock-reserved m-1', () => Promise.reject(refusal));

    await expect(refused).rejects.toBeInstanceOf(InvalidMessageError);
    await expect(refused).rejects.toMatchObject({ message: `stock-reserved m-1 refused: ${refusal.message}`, retryable: false });
  });

  it('rethrows anything else as it is, so an outage stays retryable', async () => {
    const outage = new UnavailableError('fetching the signing keys failed', 'auth-unavailable');

    await expect(refusedUnless('stock-reserved m-1', () => Promise.reject(outage))).rejects.toBe(outage);
  });
});
