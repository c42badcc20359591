import { decodeJwt, decodeProtectedHeader } from 'jose';
import { JwtTokenVerifier } from '../verification/jwt.token-verifier';
import { generateSigningKey, type SigningAlgorithm } from './signing-key';
import { TokenSigner } from './token.signer';

describe(TokenSigner.name, () => {
  const options = { issuer: 'https://identity.test', audience: 'nestkit', clock: () => new Date('2030-01-01T00:00:00Z') };

  it.each<[SigningAlgorithm]>([['EdDSA'], ['ES256']])('signs %s access tokens the verifier accepts', async (alg) => {
    const { privateKey, publicJwk } = await generateSigningKey(alg);
    const sut = new TokenSigner({ ...options, privateKey, kid: publicJwk.kid, alg, accessTtlSec: 900 });
    const verifier = JwtTokenVerifier.fromKeySet({ keys: [publicJwk] }, options);

    const signed = await sut.signAccessToken({ subject: 'user-7', roles: ['admin'], email: 'u7@test' });

    expect(signed.expiresIn).toBe(900);
    expect(decodeProtectedHeader(signed.token)).toEqual({ alg, kid: publicJwk.kid, typ: 'at+jwt' });
    await expect(verifier.verify(signed.token)).resolves.toEqual({
      subject: 'user-7',
      roles: ['admin'],
      email: 'u7@test',
      tokenId: signed.tokenId,
      kind: 'user',
    });
  });

  it('gives every token a distinct id', async () => {
    const { privateKey, publicJwk } = await generateSigningKey();
    const sut = new TokenSigner({ ...options, privateKey, kid: publicJwk.kid, alg: 'EdDSA', accessTtlSec: 60 });

    const [first, second] = await Promise.all([sut.signAccessToken({ subject: 'u', roles: [] }), sut.signAccessToken({ subject: 'u', roles: [] })]);

    expect(first.tokenId).not.toBe(second.tokenId);
  });

  it('signs service tokens (service+jwt) with the narrow audience and client id', async () => {
    const { privateKey, publicJwk } = await generateSigningKey();
    const sut = new TokenSigner({ ...options, privateKey, kid: publicJwk.kid, alg: 'EdDSA', accessTtlSec: 600 });
    const verifier = JwtTokenVerifier.fromKeySet({ keys: [publicJwk] }, options).derive({ tokenType: 'service+jwt', audience: 'catalog' });

    const signed = await sut.signServiceToken({ clientId: 'orders', audience: 'catalog', ttlSec: 120, permissions: ['catalog:stock:reserve'] });

    expect(signed.expiresIn).toBe(120);
    expect(decodeProtectedHeader(signed.token)).toEqual({ alg: 'EdDSA', kid: publicJwk.kid, typ: 'service+jwt' });
    expect(decodeJwt(signed.token)).toMatchObject({ sub: 'orders', client_id: 'orders', kind: 'service', aud: 'catalog', exp: 1_893_456_000 + 120 });
    await expect(verifier.verify(signed.token)).resolves.toEqual({
      subject: 'orders',
      roles: [],
      permissions: ['catalog:stock:reserve'],
      tokenId: signed.tokenId,
      kind: 'service',
    });
    await expect(JwtTokenVerifier.fromKeySet({ keys: [publicJwk] }, { ...options, audience: 'catalog' }).verify(signed.token)).rejects.toMatchObject({
      message: 'token type must be at+jwt',
    });
  });

  it('signs on-behalf-of tokens whose subject is the user, acted for by the client, expiring with the user token', async () => {
    const { privateKey, publicJwk } = await generateSigningKey();
    const sut = new TokenSigner({ ...options, privateKey, kid: publicJwk.kid, alg: 'EdDSA', accessTtlSec: 600 });
    const verifier = JwtTokenVerifier.fromKeySet({ keys: [publicJwk] }, options).derive({ tokenType: 'service+jwt', audience: 'bus' });

    const signed = await sut.signServiceToken({
      clientId: 'orders',
      audience: 'bus',
      ttlSec: 300,
      onBehalfOf: { subject: 'user-7', roles: ['user'], expiresAt: 1_893_456_000 + 90 },
    });

    expect(signed.expiresIn).toBe(90);
    await expect(verifier.verify(signed.token)).resolves.toMatchObject({ subject: 'user-7', kind: 'user', roles: ['user'], actor: { subject: 'orders', kind: 'service' } });
  });

  it('refuses a non-positive lifetime', async () => {
    const { privateKey } = await generateSigningKey();

    expect(() => new TokenSigner({ ...options, privateKey, kid: 'k', alg: 'EdDSA', accessTtlSec: 0 })).toThrow('accessTtlSec must be a positive integer');
  });
});

describe(generateSigningKey.name, () => {
  it('publishes only the public half, with a thumbprint kid, alg and use', async () => {
    const { publicJwk } = await generateSigningKey();

    expect(publicJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(publicJwk.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(publicJwk).not.toHaveProperty('d');
  });
});
