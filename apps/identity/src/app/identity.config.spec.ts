import { identityConfigSchema } from './identity.config';

describe('identityConfigSchema', () => {
  it('requires SIGNING_KEY_SECRET in production and names it', () => {
    const result = identityConfigSchema.safeParse({ NODE_ENV: 'production' });

    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['SIGNING_KEY_SECRET', 'required in production: the secret that encrypts the signing keys at rest'],
    ]);
  });

  it('refuses a short SIGNING_KEY_SECRET', () => {
    expect(identityConfigSchema.safeParse({ SIGNING_KEY_SECRET: 'short' }).error?.issues[0]?.path).toEqual(['SIGNING_KEY_SECRET']);
  });

  it('runs in development without a secret, with the documented defaults', () => {
    expect(identityConfigSchema.parse({})).toMatchObject({
      ACCESS_TOKEN_TTL_SEC: 600,
      SIGNING_KEY_ALG: 'EdDSA',
      SIGNING_KEY_ROTATION_INTERVAL_SEC: 2_592_000,
      SIGNING_KEY_PUBLISH_LEAD_SEC: 600,
      LOGIN_MAX_ATTEMPTS_PER_ACCOUNT: 5,
      LOGIN_MAX_ATTEMPTS_PER_IP: 50,
      AUTH_SERVICE_AUDIENCE: 'identity',
      AUTH_REQUIRE_SERVICE_TOKEN: true,
    });
  });

  it('normalises BOOTSTRAP_ADMIN_EMAIL like a registration e-mail', () => {
    expect(identityConfigSchema.parse({ BOOTSTRAP_ADMIN_EMAIL: ' Root@Example.COM ' }).BOOTSTRAP_ADMIN_EMAIL).toBe('root@example.com');
  });
});
