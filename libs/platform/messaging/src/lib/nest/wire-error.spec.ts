import { NotFoundError, ValidationError } from '@nestkit/errors';
import { RpcException } from '@nestjs/microservices';
import { asError, toWireError } from './wire-error';

describe(toWireError.name, () => {
  it('keeps an AppError whole', () => {
    const error = new ValidationError('Invalid body: sku', [{ path: 'sku', message: 'Required' }]);
    expect(toWireError(error, 'catalog')).toEqual({
      message: 'Invalid body: sku',
      code: 'validation-failed',
      kind: 'validation',
      retryable: false,
      issues: [{ path: 'sku', message: 'Required' }],
    });
    expect(toWireError(new NotFoundError('gone', 'catalog.gone'), 'catalog')).toMatchObject({ code: 'catalog.gone', kind: 'not-found' });
  });

  it("keeps a Nest RpcException's message and code", () => {
    expect(toWireError(new RpcException({ message: 'no stock', code: 'catalog.no-stock' }), 'x')).toMatchObject({ message: 'no stock', code: 'catalog.no-stock' });
    expect(toWireError(new RpcException('plain'), 'x')).toMatchObject({ message: 'plain', code: 'rpc-error' });
  });

  it('hides the message of any other error', () => {
    expect(toWireError(new Error('password=hunter2'), 'catalog handling "x"')).toEqual({
      message: 'An unexpected error occurred in catalog handling "x".',
      code: 'internal',
      kind: 'internal',
      retryable: true,
    });
  });
});

describe(asError.name, () => {
  it("keeps errors, and the message of Nest's `{ status, message }` objects", () => {
    const error = new Error('boom');
    expect(asError(error)).toBe(error);
    expect(asError({ status: 'error', message: 'Internal server error' }).message).toBe('Internal server error');
    expect(asError('text').message).toBe('text');
  });
});
