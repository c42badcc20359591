import { Logger } from '@nestjs/common';
import { JwtTokenVerifier, SERVICE_TOKEN_TYPE } from '@nestkit/auth';
import { TOKEN_EXCHANGE_GRANT } from '@nestkit/contracts/identity';
import { inMemoryDataSource } from '@nestkit/database/testing';
import { UnauthenticatedError } from '@nestkit/errors';
import { decodeJwt } from 'jose';
import type { DataSource } from 'typeorm';
import { IDENTITY_SCHEMA } from '../identity.schema';
import { SigningKeyStore } from '../keys/signing-key.store';
import { SigningKeys } from '../keys/signing-keys';
import { FakeClock, testConfig } from '../testing/identity-test-kit';
import { PasswordHasher } from '../users/password-hasher';
import { ServiceClients } from './service-clients';

describe(ServiceClients.name, () => {
  const hasher = new PasswordHasher();
  const secret = 'orders-secret-0123456789';
  let dataSource: DataSource;
  let keys: SigningKeys;
  let time: FakeClock;
  let sut: ServiceClients;

  const serviceVerifier = (audience: string) =>
    JwtTokenVerifier.fromKeyProvider(() => keys.jwks(), { issuer: 'test-issuer', audience, tokenType: SERVICE_TOKEN_TYPE, clock: time.clock });
  const cc = { grant_type: 'client_credentials' as const };

  beforeAll(() => hasher.onModuleInit());

  beforeEach(async () => {
    vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    time = new FakeClock();
    dataSource = await inMemoryDataSource(IDENTITY_SCHEMA);
    const clients = [{ id: 'orders', secretHash: await hasher.hash(secret), audiences: ['catalog', 'nestkit-messaging'], permissions: ['catalog:stock:reserve'] }];
    const config = testConfig({ SERVICE_CLIENTS: JSON.stringify(clients), SERVICE_TOKEN_TTL_SEC: '60' });
    keys = new SigningKeys(new SigningKeyStore(dataSource), config, time.clock);
    await keys.onModuleInit();
    sut = new ServiceClients(config, hasher, keys);
  });

  afterEach(async () => {
    keys.onModuleDestroy();
    vi.restoreAllMocks();
    await dataSource.destroy();
  });

  it('issues a short-lived service+jwt for the one audience asked for', async () => {
    const response = await sut.token({ clientId: 'orders', clientSecret: secret }, { ...cc, audience: 'catalog' });

    expect(response).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 60 });
    expect(decodeJwt(response.access_token)).toMatchObject({ aud: 'catalog', sub: 'orders', client_id: 'orders', kind: 'service' });
    await expect(serviceVerifier('catalog').verify(response.access_token)).resolves.toMatchObject({
      subject: 'orders',
      kind: 'service',
      permissions: ['catalog:stock:reserve'],
    });
    await expect(serviceVerifier('notifications').verify(response.access_token)).rejects.toMatchObject({ message: 'audience mismatch' });
  });

  it('names every allowed audience when none is asked for', async () => {
    const response = await sut.token({ clientId: 'orders', clientSecret: secret }, cc);

    expect(decodeJwt(response.access_token).aud).toEqual(['catalog', 'nestkit-messaging']);
  });

  it('fails a wrong secret and an unknown client identically, after a full verification each', async () => {
    const verify = vi.spyOn(hasher, 'verifyOrDummy');

    const wrongSecret = await sut.token({ clientId: 'orders', clientSecret: 'nope' }, cc).catch((error: unknown) => error);
    const unknownClient = await sut.token({ clientId: 'billing', clientSecret: secret }, cc).catch((error: unknown) => error);

    expect(wrongSecret).toEqual(new UnauthenticatedError('client authentication failed', 'identity.invalid-client'));
    expect(unknownClient).toEqual(wrongSecret);
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it('refuses an audience the client may not have with 422 naming the allowed ones', async () => {
    await expect(sut.token({ clientId: 'orders', clientSecret: secret }, { ...cc, audience: 'notifications' })).rejects.toMatchObject({
      kind: 'validation',
      code: 'identity.invalid-audience',
      issues: [{ path: 'audience', message: 'allowed: catalog, nestkit-messaging' }],
    });
  });

  it('exchanges a user access token for an on-behalf-of token that expires with it', async () => {
    const user = await keys.signer.signAccessToken({ subject: 'user-7', roles: ['user'], permissions: ['orders:orders:place'] });

    const response = await sut.token(
      { clientId: 'orders', clientSecret: secret },
      { grant_type: TOKEN_EXCHANGE_GRANT, subject_token: user.token, subject_token_type: 'urn:ietf:params:oauth:token-type:access_token', audience: 'nestkit-messaging' },
    );

    expect(response).toMatchObject({ token_type: 'Bearer', expires_in: 60, issued_token_type: 'urn:ietf:params:oauth:token-type:access_token' });
    await expect(serviceVerifier('nestkit-messaging').verify(response.access_token)).resolves.toMatchObject({
      subject: 'user-7',
      kind: 'user',
      permissions: ['orders:orders:place'],
      actor: { subject: 'orders', kind: 'service' },
    });
  });

  it('refuses to exchange something that is not a valid user access token', async () => {
    const serviceToken = (await sut.token({ clientId: 'orders', clientSecret: secret }, cc)).access_token;

    await expect(
      sut.token(
        { clientId: 'orders', clientSecret: secret },
        { grant_type: TOKEN_EXCHANGE_GRANT, subject_token: serviceToken, subject_token_type: 'urn:ietf:params:oauth:token-type:access_token' },
      ),
    ).rejects.toMatchObject({ code: 'identity.invalid-subject-token', message: 'subject_token is not a valid access token: token type must be at+jwt' });
  });
});
