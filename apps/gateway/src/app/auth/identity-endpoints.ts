import type { JwksUrlVerifierOptions, ServiceTokenProviderOptions } from '@nestkit/auth';
import type { GatewayConfig } from '../gateway.config';
import type { Upstreams } from '../routing/upstreams';
import { discoveryFetch } from './discovery.fetch';

const IDENTITY = 'identity';

/**
 * How the gateway verifies user tokens: against identity's JWKS at `AUTH_JWKS_URL`, or, when that is
 * unset, fetched from a live identity instance through discovery. jose caches the key set (10 minutes)
 * and refetches on an unknown `kid` at most every 30 s; no URL in a token is ever fetched.
 */
export function edgeVerifierOptions(config: GatewayConfig, upstreams: Upstreams): JwksUrlVerifierOptions {
  const common = { issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE };
  if (config.AUTH_JWKS_URL) return { ...common, jwksUrl: config.AUTH_JWKS_URL };
  return { ...common, jwksUrl: `http://${IDENTITY}/.well-known/jwks.json`, fetch: discoveryFetch(upstreams.client(IDENTITY)) };
}

/**
 * Where and as whom the gateway asks for its own service tokens (`AUTH_TOKEN_URL`, or identity through
 * discovery), or undefined when `AUTH_CLIENT_SECRET` is not set.
 */
export function gatewayClientOptions(config: GatewayConfig, upstreams: Upstreams): ServiceTokenProviderOptions | undefined {
  if (!config.AUTH_CLIENT_SECRET) return undefined;
  const credentials = { clientId: config.AUTH_CLIENT_ID, clientSecret: config.AUTH_CLIENT_SECRET, timeoutMs: config.AUTH_TOKEN_TIMEOUT_MS };
  if (config.AUTH_TOKEN_URL) return { ...credentials, tokenUrl: config.AUTH_TOKEN_URL };
  return { ...credentials, tokenUrl: `http://${IDENTITY}/oauth/token`, fetch: discoveryFetch(upstreams.client(IDENTITY)) };
}
