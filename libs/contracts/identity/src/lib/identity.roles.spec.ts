import { GrantableRole, Permission, permissionsFor, Role, ROLE_PERMISSIONS } from '../index';

describe(permissionsFor.name, () => {
  it('gives a user exactly the self-service permissions', () => {
    expect(permissionsFor([Role.user])).toEqual([
      Permission.catalogRead,
      Permission.notificationsReadOwn,
      Permission.ordersPlace,
      Permission.ordersReadOwn,
    ]);
  });

  it('gives an admin every user permission plus the admin ones, once each', () => {
    const sut = permissionsFor([Role.user, Role.admin]);

    expect(sut).toEqual(expect.arrayContaining(permissionsFor([Role.user])));
    expect(sut).toEqual(expect.arrayContaining([Permission.usersManageRoles, Permission.keysRotate, Permission.keysRead]));
    expect(new Set(sut).size).toBe(sut.length);
    expect(sut).toEqual([...sut].sort());
  });

  it('grants nothing for unknown roles, the service role or no role', () => {
    expect(permissionsFor(['root', Role.service])).toEqual([]);
    expect(permissionsFor([])).toEqual([]);
  });

  it('maps every permission to at least one role', () => {
    const granted = new Set(Object.values(ROLE_PERMISSIONS).flat());

    expect(Object.values(Permission).filter((permission) => !granted.has(permission))).toEqual([]);
  });
});

describe('GrantableRole', () => {
  it('accepts user and admin, refuses service and unknown roles', () => {
    expect(GrantableRole.options).toEqual(['user', 'admin']);
    expect(GrantableRole.safeParse('service').success).toBe(false);
    expect(GrantableRole.safeParse('root').success).toBe(false);
  });
});
