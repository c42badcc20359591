import { JwtTokenVerifier } from '@nestkit/auth';
import { identityConfigSchema } from '../identity.config';
import { SigningKeys } from './signing-keys';

describe(SigningKeys.name, () => {
  const config = identityConfigSchema.parse({ DATABASE_URL: 'sqlite::memory:', AUTH_ISSUER: 'test-issuer', AUTH_AUDIENCE: 'test-audience' });
  let sut: SigningKeys;

  beforeEach(async () => {
    sut = new SigningKeys(config);
    await sut.onModuleInit();
  });

  it('publishes exactly one public EdDSA signing key, without its private part', () => {
    const { keys } = sut.jwks();

    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kid: expect.stringMatching(/^[\w-]{43}$/), alg: 'EdDSA', use: 'sig', kty: 'OKP', crv: 'Ed25519' });
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('signs access tokens that verify against its own JWKS with the configured issuer and audience', async () => {
    const signed = await sut.signer.signAccessToken({ subject: 'user-1', roles: ['user'], email: 'ada@example.com' });
    const verifier = JwtTokenVerifier.fromKeySet(sut.jwks(), { issuer: 'test-issuer', audience: 'test-audience' });

    expect(await verifier.verify(signed.token)).toEqual({
      subject: 'user-1',
      roles: ['user'],
      email: 'ada@example.com',
      tokenId: signed.tokenId,
      kind: 'user',
    });
    expect(signed.expiresIn).toBe(config.ACCESS_TOKEN_TTL_SEC);
  });

  it('makes a new key on every boot, so tokens of an earlier boot stop verifying', async () => {
    const before = await sut.signer.signAccessToken({ subject: 'user-1', roles: ['user'] });
    const rebooted = new SigningKeys(config);
    await rebooted.onModuleInit();
    const verifier = JwtTokenVerifier.fromKeySet(rebooted.jwks(), { issuer: 'test-issuer', audience: 'test-audience' });

    expect(rebooted.jwks().keys[0]?.kid).not.toBe(sut.jwks().keys[0]?.kid);
    await expect(verifier.verify(before.token)).rejects.toMatchObject({ code: 'invalid-token' });
  });

  it('publishes no key and refuses to sign before it is initialised', () => {
    const uninitialised = new SigningKeys(config);

    expect(uninitialised.jwks()).toEqual({ keys: [] });
    expect(() => uninitialised.signer).toThrow('signing key not initialised yet');
  });
});
