import { UnavailableError, isRetryable, statusOf } from '@nestkit/errors';
import { NoInstancesError } from './no-instances.error';

describe(NoInstancesError.name, () => {
  it('is a retryable unavailable error that names the service and maps to 503', () => {
    const sut = new NoInstancesError('catalog');
    expect(sut).toBeInstanceOf(UnavailableError);
    expect(sut).toMatchObject({ kind: 'unavailable', code: 'no-instances', service: 'catalog', name: 'NoInstancesError' });
    expect(sut.message).toContain('"catalog"');
    expect(isRetryable(sut)).toBe(true);
    expect(statusOf(sut)).toBe(503);
  });
});
