import { ConfigError } from '@nestkit/config';
import { authConfigSchema, serviceAuthConfigSchema, serviceClientConfigSchema, serviceTokenProviderOptions, verifierOptions } from './auth.config';

describe(verifierOptions.name, () => {
  it('keeps the walking-skeleton behaviour by default: no service tokens, messages unchecked', () => {
    expect(verifierOptions(authConfigSchema.parse({}))).toEqual({
      jwksUrl: 'http://127.0.0.1:4001/.well-known/jwks.json',
      issuer: 'nestkit-identity',
      audience: 'nestkit',
      requireServiceToken: false,
      verifyMessages: false,
      messageAudience: 'nestkit-messaging',
    });
  });

  it('turns on the production caller policy from config', () => {
    const config = authConfigSchema.parse({ AUTH_SERVICE_AUDIENCE: 'orders', AUTH_REQUIRE_SERVICE_TOKEN: 'true', AUTH_VERIFY_MESSAGE_IDENTITY: 'yes' });

    expect(verifierOptions(config)).toMatchObject({ serviceAudience: 'orders', requireServiceToken: true, verifyMessages: true });
  });

  it('defaults to the production caller policy for a service built on serviceAuthConfigSchema', () => {
    expect(verifierOptions(serviceAuthConfigSchema('orders').parse({}))).toMatchObject({ serviceAudience: 'orders', requireServiceToken: true, verifyMessages: true });
  });

  it('still lets a deployment relax the strict defaults key by key', () => {
    const config = serviceAuthConfigSchema('orders').parse({ AUTH_REQUIRE_SERVICE_TOKEN: 'false', AUTH_VERIFY_MESSAGE_IDENTITY: 'false' });

    expect(verifierOptions(config)).toMatchObject({ serviceAudience: 'orders', requireServiceToken: false, verifyMessages: false });
  });

  it('names AUTH_SERVICE_AUDIENCE when service tokens are required without it', () => {
    const config = authConfigSchema.parse({ AUTH_REQUIRE_SERVICE_TOKEN: 'true' });

    expect(() => verifierOptions(config)).toThrow(ConfigError);
    expect(() => verifierOptions(config)).toThrow('AUTH_SERVICE_AUDIENCE: required when AUTH_REQUIRE_SERVICE_TOKEN is true');
  });
});

describe(serviceTokenProviderOptions.name, () => {
  it('builds the provider options from config', () => {
    const config = serviceClientConfigSchema.parse({ AUTH_CLIENT_ID: 'orders', AUTH_CLIENT_SECRET: 'a-long-enough-secret' });

    expect(serviceTokenProviderOptions(config)).toEqual({
      tokenUrl: 'http://127.0.0.1:4001/oauth/token',
      clientId: 'orders',
      clientSecret: 'a-long-enough-secret',
      timeoutMs: 2_000,
    });
  });

  it('names every missing key', () => {
    expect(() => serviceTokenProviderOptions(serviceClientConfigSchema.parse({}))).toThrow(/AUTH_CLIENT_ID: required[\s\S]*AUTH_CLIENT_SECRET: required/);
  });

  it('refuses a client secret shorter than 16 characters', () => {
    expect(serviceClientConfigSchema.safeParse({ AUTH_CLIENT_SECRET: 'short' }).success).toBe(false);
  });
});
