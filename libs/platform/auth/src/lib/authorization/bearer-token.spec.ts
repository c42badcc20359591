import { UnauthenticatedError } from '@nestkit/errors';
import { bearerToken } from './bearer-token';

describe(bearerToken.name, () => {
  it.each([['Bearer abc.def.ghi'], ['bearer abc.def.ghi'], ['BEARER  abc.def.ghi']])('extracts the token from %s', (header) => {
    expect(bearerToken(header)).toBe('abc.def.ghi');
  });

  it.each([[undefined], ['']])('rejects a missing header (%s) as missing-token', (header) => {
    expect(() => bearerToken(header)).toThrow(new UnauthenticatedError('missing Authorization header', 'missing-token'));
  });

  it.each([['Basic dXNlcjpwYXNz'], ['Bearer'], ['Bearer a b'], ['abc.def.ghi'], [['Bearer a', 'Bearer b']]])('rejects %s as a malformed header', (header) => {
    expect(() => bearerToken(header)).toThrow('Authorization header must be "Bearer <token>"');
  });
});
