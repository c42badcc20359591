import { JwtTokenVerifier, MessageIdentityStamper, MessageIdentityVerifier, SERVICE_TOKEN_TYPE, ServiceTokenProvider } from '@nestkit/auth';
import { decodeJwt } from 'jose';
import { dataDir, IdentityProcess } from '../testing/identity-process';
import { PasswordHasher } from '../users/password-hasher';

const PROBLEM = /^application\/problem\+json/;
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** Client credentials at `POST /oauth/token`, as services call it, and the production caller policy on identity itself. */
describe('identity token endpoint over HTTP', () => {
  const data = dataDir();
  const secrets = { orders: 'orders-secret-0123456789', gateway: 'gateway-secret-0123456789' };
  let identity: IdentityProcess;

  beforeAll(async () => {
    const hasher = new PasswordHasher();
    const clients = [
      { id: 'orders', secretHash: await hasher.hash(secrets.orders), audiences: ['catalog', 'nestkit-messaging'] },
      { id: 'gateway', secretHash: await hasher.hash(secrets.gateway), audiences: ['identity', 'orders', 'catalog'] },
    ];
    // The production setting: identity itself only answers callers with a service token for "identity".
    identity = await IdentityProcess.start({
      DATABASE_URL: data.url,
      SERVICE_CLIENTS: JSON.stringify(clients),
      AUTH_SERVICE_AUDIENCE: 'identity',
      AUTH_REQUIRE_SERVICE_TOKEN: 'true',
    });
  });

  afterAll(async () => {
    await identity?.close();
    data.remove();
  });

  const serviceVerifier = (audience: string) =>
    JwtTokenVerifier.fromJwksUrl({ jwksUrl: `${identity.url}/.well-known/jwks.json`, issuer: 'test-issuer', audience, tokenType: SERVICE_TOKEN_TYPE });

  it('issues a token with the narrow audience for a good secret, form-encoded with Basic or JSON in the body', async () => {
    const form = await identity.call('/oauth/token', { form: { grant_type: 'client_credentials', audience: 'catalog' }, headers: { authorization: basic('orders', secrets.orders) } });
    const json = await identity.call('/oauth/token', { json: { grant_type: 'client_credentials', client_id: 'orders', client_secret: secrets.orders } });

    for (const response of [form, json]) {
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 300 });
    }
    expect(decodeJwt(form.body.access_token)).toMatchObject({ aud: 'catalog', sub: 'orders', client_id: 'orders' });
    expect(decodeJwt(json.body.access_token)).toMatchObject({ aud: ['catalog', 'nestkit-messaging'] });
    await expect(serviceVerifier('catalog').verify(form.body.access_token)).resolves.toMatchObject({ subject: 'orders', kind: 'service' });
    await expect(serviceVerifier('orders').verify(form.body.access_token)).rejects.toMatchObject({ message: 'audience mismatch' });
  });

  it('answers a wrong secret and an unknown client with the same 401 problem+json', async () => {
    const wrong = await identity.call('/oauth/token', { form: { grant_type: 'client_credentials' }, headers: { authorization: basic('orders', 'not-the-secret') } });
    const unknown = await identity.call('/oauth/token', { form: { grant_type: 'client_credentials' }, headers: { authorization: basic('billing', secrets.orders) } });

    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toMatch(PROBLEM);
    expect(wrong.body).toMatchObject({ code: 'identity.invalid-client', detail: 'client authentication failed' });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('refuses an unsupported grant and an audience the client may not have with 422', async () => {
    const grant = await identity.call('/oauth/token', { form: { grant_type: 'password' }, headers: { authorization: basic('orders', secrets.orders) } });
    const audience = await identity.call('/oauth/token', { form: { grant_type: 'client_credentials', audience: 'orders' }, headers: { authorization: basic('orders', secrets.orders) } });

    expect(grant.body).toMatchObject({ status: 422, errors: [expect.objectContaining({ path: 'grant_type' })] });
    expect(audience.body).toMatchObject({ status: 422, code: 'identity.invalid-audience' });
  });

  it('works with ServiceTokenProvider, as a service obtains and caches its token', async () => {
    const sut = new ServiceTokenProvider({ tokenUrl: `${identity.url}/oauth/token`, clientId: 'gateway', clientSecret: secrets.gateway });

    const token = await sut.token('orders');

    expect(await sut.token('orders')).toBe(token);
    await expect(serviceVerifier('orders').verify(token)).resolves.toMatchObject({ subject: 'gateway' });
  });

  it('with service tokens required, refuses a direct call but serves one relayed with the gateway token; JWKS stays open', async () => {
    const gatewayToken = await new ServiceTokenProvider({ tokenUrl: `${identity.url}/oauth/token`, clientId: 'gateway', clientSecret: secrets.gateway }).token('identity');
    const user = { email: 'eve@example.com', password: 'correct horse battery' };

    const direct = await identity.call('/register', { json: user });
    const relayed = await identity.call('/register', { json: user, headers: { 'x-service-authorization': `Bearer ${gatewayToken}` } });
    const jwks = await identity.call('/.well-known/jwks.json');

    expect(direct.body).toMatchObject({ status: 401, code: 'missing-service-token' });
    expect(relayed.status).toBe(201);
    expect(jwks.status).toBe(200);
  });

  it('signs a message on behalf of a user that the consumer verifies through the JWKS', async () => {
    const gateway = { 'x-service-authorization': `Bearer ${await new ServiceTokenProvider({ tokenUrl: `${identity.url}/oauth/token`, clientId: 'gateway', clientSecret: secrets.gateway }).token('identity')}` };
    const user = { email: 'frank@example.com', password: 'correct horse battery' };
    const userId = (await identity.call('/register', { json: user, headers: gateway })).body.id;
    const userToken = (await identity.call('/login', { json: user, headers: gateway })).body.accessToken;
    const orders = new ServiceTokenProvider({ tokenUrl: `${identity.url}/oauth/token`, clientId: 'orders', clientSecret: secrets.orders });

    const envelope = await new MessageIdentityStamper(orders).stamp({ id: 'm-1', type: 'orders.order-placed', occurredAt: new Date().toISOString(), payload: {} }, { onBehalfOf: userToken });
    const principal = await new MessageIdentityVerifier({ verifier: serviceVerifier('nestkit-messaging') }).verify(envelope);

    expect(principal).toMatchObject({ subject: userId, kind: 'user', roles: ['user'], actor: { subject: 'orders', kind: 'service' } });
    expect(JSON.stringify(envelope)).not.toContain(userToken);
  });
});
