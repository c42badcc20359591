/**
 * Paths pino replaces with "[redacted]": credentials and secrets never reach a log line, wherever a
 * handler or a library logs an object that holds them. Request headers: the end user's token, the
 * calling service's token (`x-service-authorization`), cookies and API keys. Fields: passwords, user and
 * service tokens (also in OAuth's snake_case: `access_token`, `subject_token`), client secrets and their
 * stored hashes, at the top level and up to two levels down (an array of clients counts as one level).
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-service-authorization"]',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  ...[
    'password',
    'accessToken',
    'refreshToken',
    'token',
    'access_token',
    'refresh_token',
    'subject_token',
    'client_secret',
    'clientSecret',
    'secretHash',
    'AUTH_CLIENT_SECRET',
    'SIGNING_KEY_SECRET',
  ].flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
];
