import { principalFromClaims, SERVICE_TOKEN_TYPE } from './access-token.claims';

describe(principalFromClaims.name, () => {
  const base = { sub: 'user-1', jti: 't-1' };

  it('reads permissions when present and leaves them out when absent', () => {
    expect(principalFromClaims({ ...base, roles: ['user'], permissions: ['a:b:read'] })).toEqual({
      subject: 'user-1',
      roles: ['user'],
      permissions: ['a:b:read'],
      tokenId: 't-1',
      kind: 'user',
    });
    expect(principalFromClaims(base)).not.toHaveProperty('permissions');
  });

  it.each([
    [{ permissions: 'a:b:read' }, 'permissions claim must be an array of strings'],
    [{ permissions: [1] }, 'permissions claim must be an array of strings'],
    [{ act: 'orders' }, 'act claim must be an object with a sub'],
    [{ act: { sub: '' } }, 'act claim must be an object with a sub'],
  ])('rejects the claims %j', (claims, message) => {
    expect(() => principalFromClaims({ ...base, ...claims })).toThrow(message);
  });

  it('makes every service token a service principal and refuses one claiming to be a user', () => {
    expect(principalFromClaims({ ...base, sub: 'orders' }, SERVICE_TOKEN_TYPE)).toMatchObject({ subject: 'orders', kind: 'service' });
    expect(() => principalFromClaims({ ...base, kind: 'user' }, SERVICE_TOKEN_TYPE)).toThrow('kind claim of a service token must be "service"');
  });

  it('reads an act claim as the user acted for by a service', () => {
    expect(principalFromClaims({ ...base, act: { sub: 'orders' } }, SERVICE_TOKEN_TYPE)).toMatchObject({
      subject: 'user-1',
      kind: 'user',
      actor: { subject: 'orders', kind: 'service' },
    });
  });
});
