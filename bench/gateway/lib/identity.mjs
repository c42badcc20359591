// A stand-in for identity: an EdDSA key, its JWKS served over HTTP for the gateway's AUTH_JWKS_URL,
// and user access tokens with the claims identity's TokenSigner issues and JwtTokenVerifier demands
// (typ at+jwt, iss, aud, sub, jti, iat, exp, roles). The gateway fetches the key set once and caches it,
// so this server sits idle during the measured rounds.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';

/** Issuer and audience the tokens carry and the gateway is configured to expect. */
export const CLAIMS = Object.freeze({ issuer: 'nestkit-identity', audience: 'nestkit' });

/**
 * Starts the JWKS server on 127.0.0.1 (random port) and returns its URL, a way to mint tokens, and `close`.
 * @returns {Promise<{ jwksUrl: string, userToken: (ttlSec?: number) => Promise<string>, close: () => Promise<void> }>}
 */
export async function startIdentity() {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA');
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  const body = JSON.stringify({ keys: [{ ...jwk, kid, alg: 'EdDSA', use: 'sig' }] });
  const server = createServer((request, response) => {
    if (request.url !== '/.well-known/jwks.json') return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=600' }).end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    userToken: (ttlSec = 3_600) =>
      new SignJWT({ roles: ['customer'], email: 'bench@example.test' })
        .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
        .setIssuer(CLAIMS.issuer)
        .setAudience(CLAIMS.audience)
        .setSubject('bench-user')
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime(`${ttlSec}s`)
        .sign(privateKey),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
