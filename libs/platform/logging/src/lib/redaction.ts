/**
 * Paths pino replaces with "[redacted]": credentials and secrets never reach a log line, wherever a
 * handler or a library logs an object that holds them.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  '*.*.password',
  'accessToken',
  'refreshToken',
  '*.accessToken',
  '*.refreshToken',
  'token',
  '*.token',
];
