import { UnavailableError } from '@nestkit/errors';
import { TestTokens } from '../../testing';
import type { TokenVerifier } from '../token-verifier';
import { RequestAuthenticator, SERVICE_AUTHORIZATION_HEADER } from './request-authenticator';

describe(RequestAuthenticator.name, () => {
  let issuer: TestTokens;

  beforeEach(async () => {
    issuer = await TestTokens.create();
  });

  const user = async (subject = 'user-1') => ({ authorization: `Bearer ${await issuer.sign({ subject })}` });
  const service = async (audience = 'orders', clientId = 'gateway') => ({ [SERVICE_AUTHORIZATION_HEADER]: `Bearer ${await issuer.signService({ clientId, audience })}` });

  describe('with no service-token verifier (the default)', () => {
    it('ignores x-service-authorization entirely, as before service tokens existed', async () => {
      const sut = new RequestAuthenticator({ userVerifier: issuer.verifier });

      const result = await sut.authenticate({ ...(await user('user-9')), [SERVICE_AUTHORIZATION_HEADER]: 'Bearer garbage' }, {});

      expect(result).toEqual({ principal: expect.objectContaining({ subject: 'user-9' }) });
    });

    it('refuses a service-only route, naming the missing setting', async () => {
      const sut = new RequestAuthenticator({ userVerifier: issuer.verifier });

      await expect(sut.authenticate(await service(), { serviceOnly: true })).rejects.toMatchObject({
        code: 'missing-service-token',
        message: expect.stringContaining('AUTH_SERVICE_AUDIENCE is not set'),
      });
    });
  });

  describe('with a service-token verifier, not required', () => {
    let sut: RequestAuthenticator;

    beforeEach(() => {
      sut = new RequestAuthenticator({ userVerifier: issuer.verifier, serviceVerifier: issuer.serviceVerifier('orders') });
    });

    it('accepts a user call with no service token', async () => {
      await expect(sut.authenticate(await user(), {})).resolves.toEqual({ principal: expect.objectContaining({ kind: 'user' }) });
    });

    it('verifies a service token when one is presented and reports the caller', async () => {
      const result = await sut.authenticate({ ...(await user()), ...(await service()) }, {});

      expect(result.caller).toMatchObject({ subject: 'gateway', kind: 'service' });
      await expect(sut.authenticate({ ...(await user()), [SERVICE_AUTHORIZATION_HEADER]: 'Bearer a.b.c' }, {})).rejects.toMatchObject({
        code: 'invalid-token',
        message: 'service token: malformed token',
      });
    });

    it('on a service-only route, returns the user as principal when the service relays one', async () => {
      const result = await sut.authenticate({ ...(await user('user-4')), ...(await service()) }, { serviceOnly: true });

      expect(result).toMatchObject({ principal: { subject: 'user-4' }, caller: { subject: 'gateway' } });
    });

    it('lets a public route through without any token and an anonymous one even with a bad one', async () => {
      await expect(sut.authenticate({}, { public: true })).resolves.toEqual({});
      await expect(sut.authenticate({ [SERVICE_AUTHORIZATION_HEADER]: 'Basic x' }, { anonymous: true })).resolves.toEqual({});
    });
  });

  it('passes a key-source outage through as 503, never 401', async () => {
    const down: TokenVerifier = { verify: () => Promise.reject(new UnavailableError('fetching the signing keys failed', 'auth-unavailable')) };
    const sut = new RequestAuthenticator({ userVerifier: issuer.verifier, serviceVerifier: down, requireServiceToken: true });

    await expect(sut.authenticate({ ...(await user()), ...(await service()) }, {})).rejects.toBeInstanceOf(UnavailableError);
  });
});
