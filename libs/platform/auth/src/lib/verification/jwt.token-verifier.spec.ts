import { AppError, UnauthenticatedError } from '@nestkit/errors';
import { TestTokens } from '../../testing';
import { JwtTokenVerifier } from './jwt.token-verifier';

async function rejectionOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe(JwtTokenVerifier.name, () => {
  const start = new Date('2030-01-01T00:00:00Z');
  let now: Date;
  let issuer: TestTokens;
  let sut: JwtTokenVerifier;

  beforeEach(async () => {
    now = start;
    issuer = await TestTokens.create({ now: () => now });
    sut = issuer.verifier;
  });

  async function expectInvalid(token: string, message: string): Promise<void> {
    const error = await rejectionOf(sut.verify(token));
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect(error.code).toBe('invalid-token');
    expect(error.message).toBe(message);
    if (token.length > 0) expect(error.message).not.toContain(token);
  }

  async function expectRejected(promise: Promise<unknown>, message: string): Promise<void> {
    expect((await rejectionOf(promise)).message).toBe(message);
  }

  it('returns the principal of a valid token', async () => {
    const token = await issuer.sign({ subject: 'user-42', roles: ['admin', 'support'], email: 'a@b.test', claims: { jti: 'tok-1' } });

    await expect(sut.verify(token)).resolves.toEqual({
      subject: 'user-42',
      roles: ['admin', 'support'],
      email: 'a@b.test',
      tokenId: 'tok-1',
      kind: 'user',
    });
  });

  it('defaults roles to none and reads the service kind', async () => {
    const token = await issuer.sign({ roles: undefined, claims: { kind: 'service' } });

    const principal = await sut.verify(token);

    expect(principal.roles).toEqual([]);
    expect(principal.kind).toBe('service');
    expect(principal).not.toHaveProperty('email');
  });

  it('accepts a token until exp plus the 5 s tolerance, then rejects it as expired', async () => {
    const token = await issuer.sign({ expiresIn: 300 });

    now = new Date(start.getTime() + 304_000);
    await expect(sut.verify(token)).resolves.toMatchObject({ subject: 'user-1' });
    now = new Date(start.getTime() + 306_000);
    await expectInvalid(token, 'token expired');
  });

  it.each([
    ['wrong issuer', { claims: { iss: 'https://evil.test' } }, 'issuer mismatch'],
    ['wrong audience', { claims: { aud: 'other-app' } }, 'audience mismatch'],
    ['wrong typ', { header: { typ: 'JWT' } }, 'token type must be at+jwt'],
    ['refresh-token typ', { header: { typ: 'rt+jwt' } }, 'token type must be at+jwt'],
    ['missing typ', { header: { typ: undefined } }, 'token type must be at+jwt'],
    ['missing exp', { claims: { exp: undefined } }, 'missing claim: exp'],
    ['missing sub', { claims: { sub: undefined } }, 'missing claim: sub'],
    ['missing jti', { claims: { jti: undefined } }, 'missing claim: jti'],
    ['empty sub', { subject: '' }, 'sub claim must be a non-empty string'],
    ['roles not an array', { roles: 'admin' }, 'roles claim must be an array of strings'],
    ['roles with a non-string', { roles: ['admin', 1] }, 'roles claim must be an array of strings'],
    ['unknown kind', { claims: { kind: 'root' } }, 'kind claim must be "user" or "service"'],
    ['alg none', { header: { alg: 'none' } }, 'algorithm not allowed'],
    ['HS256 keyed with the public key', { header: { alg: 'HS256' } }, 'algorithm not allowed'],
    ['unknown kid', { header: { kid: 'not-a-known-key' } }, 'no matching signing key'],
    ['jku header', { header: { jku: 'https://evil.test/jwks.json' } }, 'header not allowed: jku'],
    ['x5u header', { header: { x5u: 'https://evil.test/cert.pem' } }, 'header not allowed: x5u'],
    ['x5c header', { header: { x5c: ['MIIB'] } }, 'header not allowed: x5c'],
  ])('rejects a token with %s', async (_case, options, message) => {
    await expectInvalid(await issuer.sign(options), message);
  });

  it('rejects a token whose embedded jwk header carries the attacker key', async () => {
    const attacker = await TestTokens.create({ now: () => now });
    const token = await attacker.sign({ header: { jwk: attacker.publicJwk, kid: attacker.publicJwk.kid } });

    await expectInvalid(token, 'header not allowed: jwk');
  });

  it('rejects a token signed by another key with the same kid', async () => {
    const attacker = await TestTokens.create({ now: () => now });
    const token = await attacker.sign({ header: { kid: issuer.publicJwk.kid } });

    await expectInvalid(token, 'signature invalid');
  });

  it('rejects a tampered payload', async () => {
    const token = TestTokens.tamper(await issuer.sign({ roles: [] }), { roles: ['admin'] });

    await expectInvalid(token, 'signature invalid');
  });

  it.each([['garbage'], ['a.b.c'], ['....'], ['eyJhbGciOiJFZERTQSJ9.e30']])('rejects the malformed string %s', async (token) => {
    await expectInvalid(token, 'malformed token');
  });

  it('rejects an empty and an oversized token before parsing', async () => {
    await expectInvalid('', 'token missing');
    await expectInvalid('a'.repeat(8193), 'token too large');
  });

  it('refuses an algorithm allow-list with symmetric or unsigned algorithms', () => {
    const unsafe = ['HS256', 'none'] as unknown as ['EdDSA'];

    expect(() => JwtTokenVerifier.fromKeySet(issuer.jwks, { ...issuer.verifierOptions, algorithms: unsafe })).toThrow(
      'auth: algorithms must be asymmetric, got HS256, none',
    );
  });

  it('follows a changing key set from a provider, e.g. identity verifying with its own rotating keys', async () => {
    const rotated = await TestTokens.create({ now: () => now });
    let jwks = issuer.jwks;
    const provided = JwtTokenVerifier.fromKeyProvider(() => jwks, issuer.verifierOptions);
    const token = await rotated.sign({ subject: 'user-2' });

    await expectRejected(provided.verify(token), 'no matching signing key');
    jwks = { keys: [...issuer.jwks.keys, ...rotated.jwks.keys] };
    await expect(provided.verify(token)).resolves.toMatchObject({ subject: 'user-2' });
  });

  it('verifies as of a given instant when asked to', async () => {
    const token = await issuer.sign({ expiresIn: 60 });
    now = new Date(start.getTime() + 3_600_000);

    await expect(sut.verify(token, { at: start })).resolves.toMatchObject({ subject: 'user-1' });
    await expectInvalid(token, 'token expired');
  });

  it('rejects an EdDSA token when only ES256 is allowed', async () => {
    const verifier = JwtTokenVerifier.fromKeySet(issuer.jwks, { ...issuer.verifierOptions, algorithms: ['ES256'] });

    const error = await rejectionOf(verifier.verify(await issuer.sign()));

    expect(error.message).toBe('algorithm not allowed');
  });
});
