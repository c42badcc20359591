import { randomUUID } from 'node:crypto';
import { waitFor } from '@nestkit/testing';
import { bootstrapAdmin } from './bootstrap-admin';
import { call } from './http';
import { messagingProfiles } from './messaging-profiles';
import { PlatformProcess } from './platform-process';

const PROBLEM = /^application\/problem\+json/;

const PROFILES = messagingProfiles('e2e');

/** The walking skeleton, end to end through the gateway, as the README's curl session walks it. */
describe.each(PROFILES)('platform (%s, through the gateway)', (_profile, env) => {
  let platform: PlatformProcess;
  let api: string;
  const alice = { email: `alice-${randomUUID()}@example.com`, password: `pw-${randomUUID()}` };
  const bob = { email: `bob-${randomUUID()}@example.com`, password: `pw-${randomUUID()}` };
  let aliceToken: string;
  let bobToken: string;
  const admin = bootstrapAdmin();

  beforeAll(async () => {
    platform = await PlatformProcess.start({ ...env, ...admin.env });
    api = `${platform.url}/api`;
  });

  afterAll(async () => {
    const code = await platform?.stop();
    expect(code).toBe(0);
  });

  async function order(token: string, id: string) {
    return call(`${api}/orders/${id}`, { token });
  }

  async function settled(token: string, id: string) {
    return waitFor(
      async () => {
        const response = await order(token, id);
        return response.body.status !== 'PENDING' ? response.body : undefined;
      },
      { what: `order ${id} to leave PENDING`, timeoutMs: 15_000, intervalMs: 100 },
    );
  }

  describe('identity', () => {
    it('registers a user (201) and refuses the same e-mail again (409)', async () => {
      const created = await call(`${api}/identity/register`, { json: alice });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ id: expect.any(String), email: alice.email });
      expect(JSON.stringify(created.body)).not.toContain(alice.password);

      const duplicate = await call(`${api}/identity/register`, { json: { ...alice, email: alice.email.toUpperCase() } });
      expect(duplicate.status).toBe(409);
      expect(duplicate.contentType).toMatch(PROBLEM);
      expect(duplicate.body).toMatchObject({ status: 409, code: 'identity.email-taken' });

      expect((await call(`${api}/identity/register`, { json: bob })).status).toBe(201);
    });

    it('logs in (200) with tokens, and refuses a wrong password (401)', async () => {
      const login = await call(`${api}/identity/login`, { json: alice });
      expect(login.status).toBe(200);
      expect(login.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 600 });
      aliceToken = login.body.accessToken;
      bobToken = (await call(`${api}/identity/login`, { json: bob })).body.accessToken;

      const wrong = await call(`${api}/identity/login`, { json: { ...alice, password: 'not the password' } });
      expect(wrong.status).toBe(401);
      expect(wrong.contentType).toMatch(PROBLEM);
      expect(wrong.body).toMatchObject({ status: 401, code: 'identity.bad-credentials' });
    });

    it.each([
      ['malformed JSON', 400, { raw: '{"email":' }, undefined],
      ['an empty JSON body', 400, { raw: '', headers: { 'content-type': 'application/json' } }, undefined],
      ['a missing password', 422, { json: { email: 'x@example.com' } }, 'password'],
      ['an invalid e-mail', 422, { json: { email: 'not-an-email', password: 'long enough pw' } }, 'email'],
      ['a number as password', 422, { json: { email: 'y@example.com', password: 12345678 } }, 'password'],
    ])('answers %s at registration with %i problem+json', async (_case, status, request, field) => {
      const response = await call(`${api}/identity/register`, { method: 'POST', ...request });
      expect(response.status).toBe(status);
      expect(response.contentType).toMatch(PROBLEM);
      expect(response.body.status).toBe(status);
      if (field) expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: field })]));
      else expect(response.body.code).toBe('malformed-request');
    });
  });

  describe('catalog', () => {
    it('lists the seeded products with stock', async () => {
      const response = await call(`${api}/catalog/products`);
      expect(response.status).toBe(200);
      expect(response.body.map((p: { id: string }) => p.id)).toEqual(['p-keyboard', 'p-monitor', 'p-mouse']);
      expect(response.body[0]).toEqual({ id: 'p-keyboard', sku: 'KB-001', name: 'Mechanical keyboard', priceCents: 8900, stock: 25 });
    });

    it('answers an unknown product with 404 problem+json', async () => {
      const response = await call(`${api}/catalog/products/p-unknown`);
      expect(response.status).toBe(404);
      expect(response.contentType).toMatch(PROBLEM);
    });
  });

  describe('orders', () => {
    it('refuses an order without a token (401)', async () => {
      const response = await call(`${api}/orders`, { json: { items: [{ productId: 'p-mouse', quantity: 1 }] } });
      expect(response.status).toBe(401);
      expect(response.contentType).toMatch(PROBLEM);
    });

    it('accepts an order (202 PENDING) that catalog confirms, and takes the stock', async () => {
      const placed = await call(`${api}/orders`, { token: aliceToken, json: { items: [{ productId: 'p-keyboard', quantity: 2 }] } });
      expect(placed.status).toBe(202);
      expect(placed.body).toEqual({ id: expect.any(String), status: 'PENDING' });

      const final = await settled(aliceToken, placed.body.id);
      expect(final).toMatchObject({ id: placed.body.id, status: 'CONFIRMED', items: [{ productId: 'p-keyboard', quantity: 2 }] });
      const keyboard = await call(`${api}/catalog/products/p-keyboard`);
      expect(keyboard.body.stock).toBe(23);
    });

    it('rejects an order when stock is short, with the reason, and takes no stock', async () => {
      const placed = await call(`${api}/orders`, {
        token: aliceToken,
        json: { items: [{ productId: 'p-mouse', quantity: 1 }, { productId: 'p-monitor', quantity: 4 }] },
      });
      expect(placed.status).toBe(202);
      const final = await settled(aliceToken, placed.body.id);
      expect(final.status).toBe('REJECTED');
      expect(final.reason).toMatch(/insufficient stock for p-monitor: 4 requested, 3 available/);
      expect((await call(`${api}/catalog/products/p-mouse`)).body.stock).toBe(50);
      expect((await call(`${api}/catalog/products/p-monitor`)).body.stock).toBe(3);
    });

    it.each([
      ['malformed JSON', 400, { raw: '{"items": [' }, undefined],
      ['missing items', 422, { json: {} }, 'items'],
      ['an empty item list', 422, { json: { items: [] } }, 'items'],
      ['a negative quantity', 422, { json: { items: [{ productId: 'p-mouse', quantity: -1 }] } }, 'items.0.quantity'],
      ['a string quantity', 422, { json: { items: [{ productId: 'p-mouse', quantity: '2' }] } }, 'items.0.quantity'],
      ['an unknown field', 422, { json: { items: [{ productId: 'p-mouse', quantity: 1, price: 0 }] } }, 'items.0'],
      ['an unknown product', 422, { json: { items: [{ productId: 'p-mouse', quantity: 1 }, { productId: 'p-nope', quantity: 1 }] } }, 'items.1.productId'],
    ])('answers %s with %i problem+json and writes nothing', async (_case, status, request, field) => {
      const before = await call(`${api}/orders`, { token: aliceToken });
      const response = await call(`${api}/orders`, { method: 'POST', token: aliceToken, ...request });
      expect(response.status).toBe(status);
      expect(response.contentType).toMatch(PROBLEM);
      if (field) expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: field })]));
      else expect(response.body.code).toBe('malformed-request');
      // No order was stored, and the mouse stock is untouched.
      const after = await call(`${api}/orders`, { token: aliceToken });
      expect(after.status).toBe(200);
      expect(after.body).toHaveLength(before.body.length);
      expect((await call(`${api}/catalog/products/p-mouse`)).body.stock).toBe(50);
    });

    it("hides another user's order (404) and unknown ids alike", async () => {
      const placed = await call(`${api}/orders`, { token: aliceToken, json: { items: [{ productId: 'p-mouse', quantity: 1 }] } });
      await settled(aliceToken, placed.body.id);
      const foreign = await order(bobToken, placed.body.id);
      const unknown = await order(bobToken, randomUUID());
      expect(foreign.status).toBe(404);
      expect(unknown.status).toBe(404);
      expect(foreign.body.code).toBe(unknown.body.code);
    });
  });

  describe('notifications', () => {
    it("shows each user their own order notifications, fed by the order events", async () => {
      const mine = await waitFor(
        async () => {
          const response = await call(`${api}/notifications`, { token: aliceToken });
          const kinds = response.body.map((n: { kind: string }) => n.kind);
          return kinds.filter((k: string) => k === 'order-confirmed').length >= 2 && kinds.includes('order-rejected') ? response : undefined;
        },
        { what: "alice's confirmed and rejected notifications", timeoutMs: 15_000, intervalMs: 100 },
      );
      expect(mine.status).toBe(200);
      expect(mine.body.every((n: { userId: string }) => n.userId === mine.body[0].userId)).toBe(true);

      const theirs = await call(`${api}/notifications`, { token: bobToken });
      expect(theirs.status).toBe(200);
      expect(theirs.body).toEqual([]);
    });

    it('refuses an anonymous or forged caller (401)', async () => {
      expect((await call(`${api}/notifications`)).status).toBe(401);
      expect((await call(`${api}/notifications`, { token: `${aliceToken.slice(0, -4)}AAAA` })).status).toBe(401);
    });
  });

  it('lists the routed services and their live instances to an admin only', async () => {
    expect((await call(`${api}/_platform/services`)).status).toBe(401);
    expect((await call(`${api}/_platform/services`, { token: aliceToken })).status).toBe(403);
    const response = await call(`${api}/_platform/services`, { token: await admin.token(api) });
    expect(response.status).toBe(200);
    expect(response.body.map((s: { service: string }) => s.service)).toEqual(['catalog', 'identity', 'notifications', 'orders']);
    for (const entry of response.body) {
      expect(entry.instances).toEqual([expect.objectContaining({ host: '127.0.0.1', port: expect.any(Number), status: 'up' })]);
    }
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const response = await call(`${api}/nowhere`);
    expect(response.status).toBe(404);
    expect(response.contentType).toMatch(PROBLEM);
    expect(response.body.code).toBe('gateway.no-route');
  });

  it('keeps passwords out of the logs', () => {
    expect(platform.logs).not.toContain(alice.password);
    expect(platform.logs).not.toContain(bob.password);
  });
});
