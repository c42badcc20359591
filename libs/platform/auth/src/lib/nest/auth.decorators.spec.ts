import { UnauthenticatedError } from '@nestkit/errors';
import type { Principal } from '../principal';
import { principalOf, userTokenOf } from './auth.decorators';

describe(principalOf.name, () => {
  it('returns the principal the guard attached', () => {
    const principal: Principal = { subject: 'u', roles: [], tokenId: 't', kind: 'user' };

    expect(principalOf({ headers: {}, principal })).toBe(principal);
  });

  it('throws 401 when no principal was attached, e.g. on a public route', () => {
    expect(() => principalOf({ headers: {} })).toThrow(new UnauthenticatedError('authentication required', 'missing-token'));
  });
});

describe(userTokenOf.name, () => {
  const user: Principal = { subject: 'u', roles: [], tokenId: 't', kind: 'user' };
  const service: Principal = { subject: 'orders', roles: [], tokenId: 't', kind: 'service' };

  it("returns the user's verified bearer token", () => {
    expect(userTokenOf({ headers: { authorization: 'Bearer abc.def.ghi' }, principal: user })).toBe('abc.def.ghi');
  });

  it.each([
    ['no principal (a public route)', { headers: { authorization: 'Bearer abc.def.ghi' } }],
    ['a service principal (a service-only route)', { headers: {}, principal: service }],
    ['a user principal without the header', { headers: {}, principal: user }],
  ])('throws 401 missing-token for %s', (_case, request) => {
    let thrown: unknown;
    try {
      userTokenOf(request);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnauthenticatedError);
    expect(thrown).toMatchObject({ code: 'missing-token' });
  });
});
