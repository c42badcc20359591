import { PrivateKeyCipher, SealedKeyError } from './private-key.cipher';

describe(PrivateKeyCipher.name, () => {
  const secret = 'a'.repeat(32);
  const jwk = { kty: 'OKP', crv: 'Ed25519', x: 'public-part', d: 'the-private-part' };
  const sut = new PrivateKeyCipher(secret);

  it('round-trips a private JWK without the private part appearing in what is stored', () => {
    const sealed = sut.seal(jwk, 'kid-1');

    expect(sut.open(sealed, 'kid-1')).toEqual(jwk);
    expect(sealed).not.toContain('the-private-part');
    expect(JSON.parse(sealed)).toMatchObject({ v: 1, kek: sut.fingerprint });
  });

  it('uses a fresh IV each time', () => {
    expect(sut.seal(jwk, 'kid-1')).not.toBe(sut.seal(jwk, 'kid-1'));
  });

  it('names SIGNING_KEY_SECRET when the key was sealed with another secret', () => {
    const sealed = new PrivateKeyCipher('b'.repeat(32)).seal(jwk, 'kid-1');

    expect(() => sut.open(sealed, 'kid-1')).toThrow(SealedKeyError);
    expect(() => sut.open(sealed, 'kid-1')).toThrow(/sealed with another SIGNING_KEY_SECRET/);
  });

  it('refuses a sealed key moved to another kid, or altered', () => {
    const sealed = sut.seal(jwk, 'kid-1');
    const parsed = JSON.parse(sealed) as { ct: string };
    // Always a different first character: replacing it with "A" changed nothing when it was "A" already (1 run in 64).
    const altered = JSON.stringify({ ...parsed, ct: `${parsed.ct.startsWith('A') ? 'B' : 'A'}${parsed.ct.slice(1)}` });

    expect(() => sut.open(sealed, 'kid-2')).toThrow('signing key kid-2 failed its integrity check');
    expect(() => sut.open(altered, 'kid-1')).toThrow('failed its integrity check');
  });

  it('derives the same fingerprint from the same secret, and a different one from another', () => {
    expect(new PrivateKeyCipher(secret).fingerprint).toBe(sut.fingerprint);
    expect(new PrivateKeyCipher('c'.repeat(32)).fingerprint).not.toBe(sut.fingerprint);
  });
});
