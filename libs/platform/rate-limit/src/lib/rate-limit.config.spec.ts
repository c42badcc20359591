import { rateLimitConfigSchema, rateLimitPoliciesSchema, rateLimitPolicyConfigSchema } from './rate-limit.config';

describe('rateLimitPolicyConfigSchema', () => {
  it.each([
    [{ limit: 100, window: '1m' }, { limit: 100, windowMs: 60_000 }],
    [{ limit: 5, window: '30s' }, { limit: 5, windowMs: 30_000 }],
    [{ limit: 1000, window: '1h' }, { limit: 1000, windowMs: 3_600_000 }],
    [{ limit: 10_000, window: '1d' }, { limit: 10_000, windowMs: 86_400_000 }],
    [{ limit: 100, windowMs: 60_000 }, { limit: 100, windowMs: 60_000 }],
  ])('parses %j', (input, expected) => {
    expect(rateLimitPolicyConfigSchema.parse(input)).toEqual(expected);
  });

  it.each([
    [{ limit: 100, window: '500ms' }, /whole number and a unit/],
    [{ limit: 100, window: '1.5m' }, /whole number and a unit/],
    [{ limit: 100, window: '0s' }, /at least 1000 ms/],
    [{ limit: 100, window: '31d' }, /at most 30 days/],
    [{ limit: 100, windowMs: 1_500 }, /whole seconds/],
    [{ limit: 0, window: '1m' }, /too small|>=1/i],
    [{ limit: 1.5, window: '1m' }, /int/i],
    [{ limit: 100, window: '1m', burst: 5 }, /unrecognized key/i],
    [{ limit: 100 }, /window/],
  ])('rejects %j', (input, message) => {
    const result = rateLimitPolicyConfigSchema.safeParse(input);

    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toMatch(message);
  });
});

describe('rateLimitPoliciesSchema', () => {
  it('names each policy after its key', () => {
    const sut = rateLimitPoliciesSchema.parse({ login: { limit: 5, window: '1m' }, 'orders:write': { limit: 50, windowMs: 10_000 } });

    expect(sut).toEqual({ login: { name: 'login', limit: 5, windowMs: 60_000 }, 'orders:write': { name: 'orders:write', limit: 50, windowMs: 10_000 } });
  });

  it('rejects names that would need escaping in headers', () => {
    const result = rateLimitPoliciesSchema.safeParse({ 'a "quoted" name': { limit: 1, window: '1s' } });

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/a policy name is 1 to 64 letters/);
  });
});

describe('rateLimitConfigSchema', () => {
  it('defaults to the memory store, failing open with a 100 ms budget', () => {
    expect(rateLimitConfigSchema.parse({})).toEqual({ RATE_LIMIT_STORE: 'memory', RATE_LIMIT_ON_STORE_ERROR: 'open', RATE_LIMIT_TIMEOUT_MS: 100 });
  });

  it('reads the Redis store from the environment', () => {
    const sut = rateLimitConfigSchema.parse({
      RATE_LIMIT_STORE: 'redis',
      RATE_LIMIT_REDIS_URL: 'redis://127.0.0.1:6379',
      RATE_LIMIT_ON_STORE_ERROR: 'closed',
      RATE_LIMIT_TIMEOUT_MS: '50',
    });

    expect(sut).toEqual({ RATE_LIMIT_STORE: 'redis', RATE_LIMIT_REDIS_URL: 'redis://127.0.0.1:6379', RATE_LIMIT_ON_STORE_ERROR: 'closed', RATE_LIMIT_TIMEOUT_MS: 50 });
  });

  it('names RATE_LIMIT_REDIS_URL when the Redis store has none, and a URL that is not Redis', () => {
    const missing = rateLimitConfigSchema.safeParse({ RATE_LIMIT_STORE: 'redis' });
    const wrong = rateLimitConfigSchema.safeParse({ RATE_LIMIT_STORE: 'redis', RATE_LIMIT_REDIS_URL: 'http://127.0.0.1:6379' });

    expect(missing.error?.issues).toEqual([expect.objectContaining({ path: ['RATE_LIMIT_REDIS_URL'], message: expect.stringMatching(/required when RATE_LIMIT_STORE=redis/) })]);
    expect(wrong.error?.issues).toEqual([expect.objectContaining({ path: ['RATE_LIMIT_REDIS_URL'], message: 'expected a redis:// or rediss:// URL' })]);
  });
});
