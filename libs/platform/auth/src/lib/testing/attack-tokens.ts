import { createHmac, createPublicKey, randomBytes, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { type CryptoKey, type JWK, SignJWT } from 'jose';
import { ACCESS_TOKEN_TYPE, SERVICE_TOKEN_TYPE } from '../access-token.claims';
import { generateSigningKey } from '../signing/signing-key';

/** The genuine issuer an attack suite imitates: its key (to get claim attacks past the signature) and claims. */
export interface AttackKeys {
  privateKey: CryptoKey | KeyObject;
  publicJwk: JWK & { kid: string; alg: string };
  issuer: string;
  audience: string;
  /** The clock the target verifies with; default now. */
  now?: () => Date;
  /** A genuine opaque refresh token, to prove it never passes as an access token. */
  refreshToken?: string;
  /** Where `jku`/`x5u` headers point; serve it to count fetches (there must be none). */
  attackerUrl?: string;
  /** Extra claims on every token, e.g. the permissions the target route needs, so the valid token is let through. */
  claims?: Record<string, unknown>;
}

/** One hostile token and what it tries. */
export interface AttackCase {
  name: string;
  token: string;
}

/** A valid token (to prove the target accepts the genuine article) and the attacks it must each answer with 401. */
export interface AttackSuite {
  valid: string;
  attacks: AttackCase[];
}

type Json = Record<string, unknown>;

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const parts = (token: string) => token.split('.') as [string, string, string];

function unsigned(header: Json, claims: Json): string {
  return `${b64url(header)}.${b64url(claims)}.`;
}

function macSigned(header: Json, claims: Json, secret: Buffer): string {
  const input = `${b64url(header)}.${b64url(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/**
 * Builds the hostile-token suite every token-accepting edge must reject with 401: `alg: none` in four
 * casings, an empty signature, HS256 keyed with the public key, an embedded `jwk`, `jku`/`x5u`/`x5c`
 * headers, `kid` path traversal and injection, an unknown `kid`, another key under the genuine `kid`,
 * expired, not yet valid, wrong `iss`/`aud`/`typ`, a refresh token, a service token and a tampered payload.
 * Run it against a service, the gateway, or any `TokenVerifier`.
 */
export async function attackTokens(keys: AttackKeys): Promise<AttackSuite> {
  const nowSec = Math.floor((keys.now?.() ?? new Date()).getTime() / 1000);
  const claims: Json = { iss: keys.issuer, aud: keys.audience, sub: 'user-1', jti: randomUUID(), iat: nowSec, exp: nowSec + 300, roles: ['user'], ...keys.claims };
  const header: Json = { alg: keys.publicJwk.alg, kid: keys.publicJwk.kid, typ: ACCESS_TOKEN_TYPE };
  const genuine = (h: Json = {}, c: Json = {}) => new SignJWT({ ...claims, ...c }).setProtectedHeader({ ...header, ...h } as { alg: string }).sign(keys.privateKey);
  const attacker = await generateSigningKey('EdDSA');
  const forged = (h: Json, c: Json = {}) => new SignJWT({ ...claims, ...c }).setProtectedHeader({ ...header, ...h } as { alg: string }).sign(attacker.privateKey);
  const url = keys.attackerUrl ?? 'http://127.0.0.1:9/jwks.json';
  const publicPem = Buffer.from(createPublicKey({ key: keys.publicJwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }));
  const valid = await genuine();
  const [validHeader, validPayload] = parts(valid);

  const attacks: [string, string | Promise<string>][] = [
    ...['none', 'None', 'NONE', 'nOnE'].map((alg): [string, string] => [`alg ${alg}`, unsigned({ ...header, alg }, claims)]),
    ['alg none keeping the genuine signature', `${b64url({ ...header, alg: 'none' })}.${validPayload}.${parts(valid)[2]}`],
    ['empty signature', `${validHeader}.${validPayload}.`],
    ['HS256 keyed with the public key PEM', macSigned({ ...header, alg: 'HS256' }, claims, publicPem)],
    ['HS256 keyed with a random secret', macSigned({ ...header, alg: 'HS256' }, claims, randomBytes(32))],
    ['embedded jwk of the attacker key', forged({ jwk: attacker.publicJwk, kid: attacker.publicJwk.kid })],
    ['jku pointing at the attacker', forged({ jku: url, kid: attacker.publicJwk.kid })],
    ['x5u pointing at the attacker', forged({ x5u: url, kid: attacker.publicJwk.kid })],
    ['x5c with an attacker chain', forged({ x5c: ['MIIBattacker'] })],
    ['kid path traversal', genuine({ kid: '../../../../../../dev/null' })],
    ['kid absolute path', genuine({ kid: '/etc/passwd' })],
    ['kid injection', genuine({ kid: "' OR '1'='1" })],
    ['unknown kid', forged({ kid: 'no-such-key' })],
    ['another key under the genuine kid', forged({})],
    ['expired', genuine({}, { iat: nowSec - 3_600, exp: nowSec - 60 })],
    ['not yet valid (nbf in the future)', genuine({}, { nbf: nowSec + 3_600 })],
    ['wrong issuer', genuine({}, { iss: 'https://evil.example' })],
    ['wrong audience', genuine({}, { aud: 'some-other-api' })],
    ['missing typ', genuine({ typ: undefined })],
    ['typ JWT', genuine({ typ: 'JWT' })],
    ['refresh-token typ', genuine({ typ: 'rt+jwt' })],
    ['service token as a user token', genuine({ typ: SERVICE_TOKEN_TYPE }, { kind: 'service' })],
    ['tampered payload', `${validHeader}.${b64url({ ...claims, roles: ['admin'], sub: 'admin-1' })}.${parts(valid)[2]}`],
    ['garbage', 'not.a.token'],
    ...(keys.refreshToken ? [['opaque refresh token as access token', keys.refreshToken] as [string, string]] : []),
  ];
  return { valid, attacks: await Promise.all(attacks.map(async ([name, token]) => ({ name, token: await token }))) };
}
