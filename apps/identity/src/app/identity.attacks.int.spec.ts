import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attackTokens } from '@nestkit/auth/testing';
import { Permission } from '@nestkit/contracts/identity';
import { type CryptoKey, importJWK, type JWK } from 'jose';
import { PrivateKeyCipher } from './keys/private-key.cipher';
import { SigningKeyStore } from './keys/signing-key.store';
import { dataDir, IdentityProcess, TEST_ENV } from './testing/identity-process';

/**
 * The shared attack suite against identity's own guarded endpoint: built with identity's real active
 * key (read from its database with the test secret), every hostile token is a 401 and none makes
 * identity fetch anything.
 */
describe('identity under the token attack suite', () => {
  const data = dataDir();
  let identity: IdentityProcess;
  let attacker: Server;
  let attackerHits = 0;

  beforeAll(async () => {
    attacker = createServer((_request, response) => {
      attackerHits += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}');
    });
    attacker.listen(0, '127.0.0.1');
    await once(attacker, 'listening');
    identity = await IdentityProcess.start({ DATABASE_URL: data.url });
  });

  afterAll(async () => {
    await identity?.close();
    attacker.close();
    data.remove();
  });

  async function genuineKey(): Promise<{ privateKey: CryptoKey; publicJwk: JWK & { kid: string; alg: string } }> {
    const rows = await identity.running.app.get(SigningKeyStore).all();
    const active = rows.find((row) => row.state === 'active');
    if (!active) throw new Error('identity has no active key');
    const privateJwk = new PrivateKeyCipher(TEST_ENV.SIGNING_KEY_SECRET).open(active.privateKey, active.kid);
    return { privateKey: (await importJWK(privateJwk, active.alg)) as CryptoKey, publicJwk: JSON.parse(active.publicJwk) };
  }

  it('answers every attack with 401 problem+json, and the genuine token with 200', async () => {
    const user = { email: 'mallory@example.com', password: 'correct horse battery' };
    await identity.call('/register', { json: user });
    const { refreshToken } = (await identity.call('/login', { json: user })).body;
    const fetched = vi.spyOn(globalThis, 'fetch');
    const attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/jwks.json`;
    const { valid, attacks } = await attackTokens({
      ...(await genuineKey()),
      issuer: TEST_ENV.AUTH_ISSUER,
      audience: TEST_ENV.AUTH_AUDIENCE,
      refreshToken,
      attackerUrl,
      claims: { permissions: [Permission.keysRead] },
    });
    const callsBefore = fetched.mock.calls.length;

    expect((await identity.call('/admin/signing-keys', { token: valid })).status).toBe(200);
    for (const attack of attacks) {
      const response = await identity.call('/admin/signing-keys', { token: attack.token });
      expect({ attack: attack.name, status: response.status, type: response.headers.get('content-type')?.split(';')[0] }).toEqual({
        attack: attack.name,
        status: 401,
        type: 'application/problem+json',
      });
    }
    // Only the test's own calls to identity went out: none to the attacker, none to a URL from a token.
    const outbound = fetched.mock.calls.slice(callsBefore).map(([input]) => String(input));
    expect(outbound.every((url) => url.startsWith(`${identity.url}/admin/signing-keys`))).toBe(true);
    expect(attackerHits).toBe(0);
    fetched.mockRestore();
  });
});
