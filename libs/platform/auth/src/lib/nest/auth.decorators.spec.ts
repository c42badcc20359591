import { UnauthenticatedError } from '@nestkit/errors';
import type { Principal } from '../principal';
import { principalOf } from './auth.decorators';

describe(principalOf.name, () => {
  it('returns the principal the guard attached', () => {
    const principal: Principal = { subject: 'u', roles: [], tokenId: 't', kind: 'user' };

    expect(principalOf({ headers: {}, principal })).toBe(principal);
  });

  it('throws 401 when no principal was attached, e.g. on a public route', () => {
    expect(() => principalOf({ headers: {} })).toThrow(new UnauthenticatedError('authentication required', 'missing-token'));
  });
});
