import { ForbiddenError, NotFoundError } from '@nestkit/errors';
import type { Principal } from '../principal';
import { assertAnyRole, assertOwner } from './roles';

const principal = (roles: string[] = [], subject = 'user-1'): Principal => ({ subject, roles, tokenId: 't', kind: 'user' });

describe(assertAnyRole.name, () => {
  it('passes when nothing is required or one required role is held', () => {
    expect(() => assertAnyRole(principal(), [])).not.toThrow();
    expect(() => assertAnyRole(principal(['support']), ['admin', 'support'])).not.toThrow();
  });

  it('names the missing role in a 403', () => {
    expect(() => assertAnyRole(principal(['support']), ['admin'])).toThrow(new ForbiddenError('missing role: admin', 'missing-role'));
    expect(() => assertAnyRole(principal(), ['admin', 'ops'])).toThrow('missing role: one of admin, ops');
  });
});

describe(assertOwner.name, () => {
  it('passes for the owner and for an admin', () => {
    expect(() => assertOwner(principal([], 'owner'), 'owner')).not.toThrow();
    expect(() => assertOwner(principal(['admin'], 'someone'), 'owner')).not.toThrow();
  });

  it('hides a foreign resource behind a 404', () => {
    expect(() => assertOwner(principal(['support'], 'someone'), 'owner', 'order')).toThrow(new NotFoundError('order not found'));
  });
});
