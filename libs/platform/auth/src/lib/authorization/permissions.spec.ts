import { ForbiddenError } from '@nestkit/errors';
import type { Principal } from '../principal';
import { assertAllPermissions } from './permissions';

const principal = (permissions?: string[]): Principal => ({ subject: 'u', roles: [], tokenId: 't', kind: 'user', ...(permissions ? { permissions } : {}) });

describe(assertAllPermissions.name, () => {
  it('passes when nothing is required or every required permission is held', () => {
    expect(() => assertAllPermissions(principal(), [])).not.toThrow();
    expect(() => assertAllPermissions(principal(['a:b:read', 'a:b:write']), ['a:b:read', 'a:b:write'])).not.toThrow();
  });

  it('names every missing permission in a 403', () => {
    expect(() => assertAllPermissions(principal(['a:b:read']), ['a:b:read', 'a:b:write', 'c:d:e'])).toThrow(
      new ForbiddenError('missing permission: a:b:write, c:d:e', 'missing-permission'),
    );
  });

  it('treats a token without a permissions claim as holding none', () => {
    expect(() => assertAllPermissions(principal(), ['a:b:read'])).toThrow('missing permission: a:b:read');
  });
});
