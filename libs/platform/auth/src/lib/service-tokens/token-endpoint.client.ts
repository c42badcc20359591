import { AppError, UnavailableError } from '@nestkit/errors';
import { z } from 'zod';

/** Code of a failure to obtain a service token because identity could not be reached in time. */
export const SERVICE_TOKEN_UNAVAILABLE = 'service-token-unavailable';
/** Code of identity refusing this service's client credentials (misconfiguration, not an outage). */
export const SERVICE_TOKEN_REFUSED = 'service-token-refused';

const TokenEndpointResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z.number().int().positive(),
});

/** Where and as whom to ask for tokens. */
export interface TokenEndpointOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Budget for one token request; default 2000 ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** A token as the endpoint answered it. */
export interface IssuedToken {
  token: string;
  expiresInSec: number;
}

// RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined for Basic authentication.
function basic(clientId: string, clientSecret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

/** Posts one grant to identity's `/oauth/token` with `client_secret_basic` and a timeout. */
export async function requestToken(options: TokenEndpointOptions, grant: Record<string, string>): Promise<IssuedToken> {
  const timeoutMs = options.timeoutMs ?? 2_000;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(options.tokenUrl, {
      method: 'POST',
      headers: { authorization: basic(options.clientId, options.clientSecret), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(grant).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const why = (error as Error).name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : 'failed';
    throw new UnavailableError(`requesting a service token from ${options.tokenUrl} ${why}`, SERVICE_TOKEN_UNAVAILABLE, error);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.status >= 500) throw new UnavailableError(`identity answered the token request with ${response.status}`, SERVICE_TOKEN_UNAVAILABLE);
  if (response.status !== 200) {
    const code = (body as { code?: unknown } | undefined)?.code;
    throw new AppError(
      `identity refused the token request of client "${options.clientId}" with ${response.status}${typeof code === 'string' ? ` (${code})` : ''}: check AUTH_CLIENT_ID, AUTH_CLIENT_SECRET and the audience`,
      { code: SERVICE_TOKEN_REFUSED, kind: 'unavailable', retryable: false },
    );
  }
  const parsed = TokenEndpointResponse.safeParse(body);
  if (!parsed.success) throw new UnavailableError('identity answered the token request with an unexpected body', SERVICE_TOKEN_UNAVAILABLE);
  return { token: parsed.data.access_token, expiresInSec: parsed.data.expires_in };
}
