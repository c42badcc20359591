import { UnauthenticatedError, ValidationError } from '@nestkit/errors';

/** A client id and secret as presented. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

const invalidClient = () => new UnauthenticatedError('client authentication failed', 'identity.invalid-client');

// RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw invalidClient();
  }
}

/**
 * The client's credentials from `Authorization: Basic` (client_secret_basic) or from the body
 * (client_secret_post). Using both at once is refused (RFC 6749 §2.3); none at all is 401 `identity.invalid-client`.
 */
export function clientCredentials(authorization: string | string[] | undefined, body: { client_id?: string; client_secret?: string }): ClientCredentials {
  const inBody = body.client_id !== undefined || body.client_secret !== undefined;
  if (typeof authorization === 'string' && /^basic /i.test(authorization)) {
    if (inBody) throw new ValidationError('send client credentials either in the Authorization header or in the body, not both', [], 'identity.ambiguous-client-authentication');
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) throw invalidClient();
    return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
  }
  if (body.client_id && body.client_secret) return { clientId: body.client_id, clientSecret: body.client_secret };
  throw invalidClient();
}
