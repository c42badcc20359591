/** Who calls: no token, two ordinary users, and an admin. */
export type Actor = 'anonymous' | 'alice' | 'bob' | 'admin';
export const ACTORS: readonly Actor[] = ['anonymous', 'alice', 'bob', 'admin'];

/** Whose resource a cell addresses: the caller's own, someone else's, or none (the route has no owner). */
export type Ownership = 'own' | 'foreign' | 'none';

/** What the matrix needs of the running platform: tokens, ids, owned resources, fresh credentials. */
export interface MatrixWorld {
  token(actor: Actor): string | undefined;
  /** The actor's user id; for `anonymous`, alice's (an anonymous caller aims at someone's resource). */
  userId(actor: Actor): string;
  /** An order the actor placed; for `anonymous`, alice's. */
  orderId(actor: Actor): string;
  /** The user whose resources count as foreign to `actor` (bob for alice, alice for everyone else). */
  other(actor: Actor): Actor;
  /** A fresh account's credentials, or the actor's own when it has an account. */
  credentials(actor: Actor): Promise<{ email: string; password: string }>;
  /** A refresh token nobody has used yet, of the actor (a fresh account's for `anonymous`). */
  freshRefreshToken(actor: Actor): Promise<string>;
  /** A registered account that only ever sees failed logins. */
  victimEmail: string;
}

/** One request of a cell. */
export interface CellRequest {
  method: string;
  path: string;
  json?: unknown;
}

/** One row: a route, whether it has an owner, the status per actor (and ownership), and how to call it. */
export interface MatrixRow {
  route: string;
  owned: boolean;
  /** Per actor: one status, or `{ own, foreign }` on an owned route. Absent: the cell is proven elsewhere (named in `note`). */
  expect: Partial<Record<Actor, number | { own: number; foreign: number }>>;
  note?: string;
  request(world: MatrixWorld, actor: Actor, ownership: Ownership): Promise<CellRequest> | CellRequest;
  /** Extra check of a 2xx body, e.g. that a list holds only the caller's own items. */
  check?(body: unknown, world: MatrixWorld, actor: Actor): void;
}

const all = (status: number) => ({ anonymous: status, alice: status, bob: status, admin: status });
const ownerOf = (world: MatrixWorld, actor: Actor, ownership: Ownership) => (ownership === 'foreign' ? world.other(actor) : actor);
let fresh = 0;

/**
 * Every route behind the gateway, x {anonymous, user A, user B, admin} x {own, foreign}. The policy:
 * 401 no or invalid token (at the gateway, before any service); 403 authenticated but missing a role or
 * permission (at the service); 404 someone else's resource (indistinguishable from a missing one);
 * admins pass ownership checks. Routes that take their credential in the body ignore the bearer.
 */
export const AUTHORIZATION_MATRIX: readonly MatrixRow[] = [
  { route: 'POST /api/identity/register', owned: false, expect: all(201), request: () => ({ method: 'POST', path: '/api/identity/register', json: { email: `matrix-${Date.now()}-${(fresh += 1)}@example.com`, password: 'correct horse battery' } }) },
  { route: 'POST /api/identity/login (own credentials)', owned: false, expect: all(200), request: async (w, a) => ({ method: 'POST', path: '/api/identity/login', json: await w.credentials(a) }) },
  {
    route: "POST /api/identity/login (another account's e-mail)",
    owned: false,
    expect: all(401),
    request: async (w, a) => ({ method: 'POST', path: '/api/identity/login', json: { email: w.victimEmail, password: (await w.credentials(a)).password } }),
  },
  { route: 'POST /api/identity/refresh', owned: false, expect: all(200), request: async (w, a) => ({ method: 'POST', path: '/api/identity/refresh', json: { refreshToken: await w.freshRefreshToken(a) } }) },
  { route: 'POST /api/identity/logout', owned: false, expect: all(204), request: async (w, a) => ({ method: 'POST', path: '/api/identity/logout', json: { refreshToken: await w.freshRefreshToken(a) } }) },
  { route: 'GET /api/identity/.well-known/jwks.json', owned: false, expect: all(200), request: () => ({ method: 'GET', path: '/api/identity/.well-known/jwks.json' }) },
  { route: 'POST /api/identity/oauth/token (no client credentials)', owned: false, expect: all(401), request: () => ({ method: 'POST', path: '/api/identity/oauth/token', json: { grant_type: 'client_credentials' } }) },
  {
    route: 'PUT /api/identity/admin/users/:userId/roles/user',
    owned: true,
    expect: { anonymous: 401, alice: { own: 403, foreign: 403 }, bob: { own: 403, foreign: 403 }, admin: { own: 200, foreign: 200 } },
    request: (w, a, o) => ({ method: 'PUT', path: `/api/identity/admin/users/${w.userId(ownerOf(w, a, o))}/roles/user` }),
  },
  {
    route: 'DELETE /api/identity/admin/users/:userId/roles/admin',
    owned: true,
    // An admin cannot revoke their own admin role (409); revoking a role someone lacks is a no-op (200).
    expect: { anonymous: 401, alice: { own: 403, foreign: 403 }, bob: { own: 403, foreign: 403 }, admin: { own: 409, foreign: 200 } },
    request: (w, a, o) => ({ method: 'DELETE', path: `/api/identity/admin/users/${w.userId(ownerOf(w, a, o))}/roles/admin` }),
  },
  { route: 'GET /api/identity/admin/signing-keys', owned: false, expect: { anonymous: 401, alice: 403, bob: 403, admin: 200 }, request: () => ({ method: 'GET', path: '/api/identity/admin/signing-keys' }) },
  {
    route: 'POST /api/identity/admin/signing-keys/rotate',
    owned: false,
    expect: { anonymous: 401, alice: 403, bob: 403 },
    note: "the admin's 200 is the rotation of the key-rotation test",
    request: () => ({ method: 'POST', path: '/api/identity/admin/signing-keys/rotate' }),
  },
  { route: 'GET /api/catalog/products', owned: false, expect: all(200), request: () => ({ method: 'GET', path: '/api/catalog/products' }) },
  { route: 'GET /api/catalog/products/:id', owned: false, expect: all(200), request: () => ({ method: 'GET', path: '/api/catalog/products/p-mouse' }) },
  {
    route: 'POST /api/catalog/products (no such route yet)',
    owned: false,
    expect: { anonymous: 401, alice: 404, bob: 404, admin: 404 },
    request: () => ({ method: 'POST', path: '/api/catalog/products', json: { name: 'x' } }),
  },
  {
    route: 'POST /api/orders',
    owned: false,
    expect: { anonymous: 401, alice: 202, bob: 202, admin: 202 },
    request: () => ({ method: 'POST', path: '/api/orders', json: { items: [{ productId: 'p-mouse', quantity: 1 }] } }),
  },
  {
    route: 'GET /api/orders (own list)',
    owned: false,
    expect: { anonymous: 401, alice: 200, bob: 200, admin: 200 },
    request: () => ({ method: 'GET', path: '/api/orders' }),
    check: (body, w, a) => expectOnlyOwn(body, w.userId(a)),
  },
  {
    route: 'GET /api/orders/:id',
    owned: true,
    expect: { anonymous: 401, alice: { own: 200, foreign: 404 }, bob: { own: 200, foreign: 404 }, admin: { own: 200, foreign: 200 } },
    request: (w, a, o) => ({ method: 'GET', path: `/api/orders/${w.orderId(ownerOf(w, a, o))}` }),
  },
  {
    route: 'GET /api/notifications (own list)',
    owned: false,
    expect: { anonymous: 401, alice: 200, bob: 200, admin: 200 },
    request: () => ({ method: 'GET', path: '/api/notifications' }),
    check: (body, w, a) => expectOnlyOwn(body, w.userId(a)),
  },
  { route: 'GET /api/_platform/services', owned: false, expect: { anonymous: 401, alice: 403, bob: 403, admin: 200 }, request: () => ({ method: 'GET', path: '/api/_platform/services' }) },
  { route: 'GET /api/nowhere (no route)', owned: false, expect: all(404), request: () => ({ method: 'GET', path: '/api/nowhere' }) },
  { route: 'GET /health/ready (gateway)', owned: false, expect: all(200), request: () => ({ method: 'GET', path: '/health/ready' }) },
];

function expectOnlyOwn(body: unknown, userId: string): void {
  const owners = (body as { userId: string }[]).map((item) => item.userId);
  if (owners.length === 0 || owners.some((owner) => owner !== userId)) throw new Error(`expected only items of ${userId}, got owners ${JSON.stringify(owners)}`);
}

/** The cells of the matrix: one per actor on unowned routes, one per actor and ownership on owned ones. */
export function matrixCells(): { row: MatrixRow; actor: Actor; ownership: Ownership; status: number }[] {
  return AUTHORIZATION_MATRIX.flatMap((row) =>
    ACTORS.flatMap((actor) => {
      const expected = row.expect[actor];
      if (expected === undefined) return [];
      if (typeof expected === 'number') return row.owned ? (['own', 'foreign'] as const).map((ownership) => ({ row, actor, ownership, status: expected })) : [{ row, actor, ownership: 'none' as const, status: expected }];
      return (['own', 'foreign'] as const).map((ownership) => ({ row, actor, ownership, status: expected[ownership] }));
    }),
  );
}
