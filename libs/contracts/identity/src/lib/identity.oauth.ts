import { z } from 'zod';

/** `grant_type` of a service asking for its own token (RFC 6749 §4.4). */
export const CLIENT_CREDENTIALS_GRANT = 'client_credentials';
/** `grant_type` of a service trading a user's access token for an on-behalf-of token (RFC 8693). */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** `subject_token_type` of a user access token in a token exchange. */
export const ACCESS_TOKEN_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

const ClientId = z.string().min(1).max(100);
const ClientSecret = z.string().min(1).max(200);
const Audience = z.string().min(1).max(100);

/**
 * Body of `POST /oauth/token` (form-encoded or JSON). The client authenticates with HTTP Basic
 * (`client_secret_basic`, preferred) or with `client_id` + `client_secret` in the body (`client_secret_post`).
 */
export const OAuthTokenRequest = z.discriminatedUnion('grant_type', [
  z.object({
    grant_type: z.literal(CLIENT_CREDENTIALS_GRANT),
    client_id: ClientId.optional(),
    client_secret: ClientSecret.optional(),
    /** One of the client's allowed audiences; all of them when absent. */
    audience: Audience.optional(),
  }),
  z.object({
    grant_type: z.literal(TOKEN_EXCHANGE_GRANT),
    client_id: ClientId.optional(),
    client_secret: ClientSecret.optional(),
    audience: Audience.optional(),
    subject_token: z.string().min(1).max(8192),
    subject_token_type: z.literal(ACCESS_TOKEN_TOKEN_TYPE),
  }),
]);
export type OAuthTokenRequest = z.infer<typeof OAuthTokenRequest>;

/** Response of `POST /oauth/token` (RFC 6749 §5.1). */
export const OAuthTokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.literal('Bearer'),
  /** Seconds until the token expires. */
  expires_in: z.number().int().positive(),
  issued_token_type: z.string().optional(),
});
export type OAuthTokenResponse = z.infer<typeof OAuthTokenResponse>;
