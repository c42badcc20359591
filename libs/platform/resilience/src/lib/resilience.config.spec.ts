import { RECOMMENDED_UPSTREAM_POLICY } from './policy-for';
import { resilienceConfigSchema, upstreamPolicyOptions } from './resilience.config';

const parse = (UPSTREAM_POLICIES?: string) => resilienceConfigSchema.safeParse({ UPSTREAM_POLICIES });

describe(upstreamPolicyOptions.name, () => {
  it('gives the recommended policy with the timeout capped at the caller budget when nothing is configured', () => {
    const config = resilienceConfigSchema.parse({});
    expect(upstreamPolicyOptions('catalog', config, 500)).toEqual({ ...RECOMMENDED_UPSTREAM_POLICY, timeoutMs: 500, adaptiveLimit: undefined });
  });

  it('merges one upstream override part by part and leaves the others alone', () => {
    const config = resilienceConfigSchema.parse({
      UPSTREAM_POLICIES: JSON.stringify({ catalog: { timeoutMs: 800, bulkhead: { maxConcurrent: 8 }, retry: false, adaptiveLimit: {} } }),
    });
    const catalog = upstreamPolicyOptions('catalog', config, 5_000);
    expect(catalog.timeoutMs).toBe(800);
    expect(catalog.bulkhead).toEqual({ maxConcurrent: 8, maxQueued: RECOMMENDED_UPSTREAM_POLICY.bulkhead?.maxQueued });
    expect(catalog.retry).toBeUndefined();
    expect(catalog.adaptiveLimit).toEqual({});
    expect(catalog.breaker).toEqual(RECOMMENDED_UPSTREAM_POLICY.breaker);
    expect(upstreamPolicyOptions('identity', config, 5_000)).toMatchObject({ timeoutMs: 2_000, retry: RECOMMENDED_UPSTREAM_POLICY.retry });
  });

  it('switches the breaker to consecutive mode', () => {
    const config = resilienceConfigSchema.parse({ UPSTREAM_POLICIES: '{"orders":{"breaker":{"mode":"consecutive","threshold":5}}}' });
    expect(upstreamPolicyOptions('orders', config).breaker).toMatchObject({ mode: 'consecutive', threshold: 5, halfOpenAfterMs: 5_000 });
  });
});

describe('resilienceConfigSchema', () => {
  it.each([
    ['not JSON', '{catalog:', 'not valid JSON'],
    ['an unknown part', '{"catalog":{"retries":2}}', 'retries'],
    ['an unknown option of a part', '{"catalog":{"bulkhead":{"max":2}}}', 'max'],
    ['a negative timeout', '{"catalog":{"timeoutMs":-1}}', 'timeoutMs'],
    ['a rate threshold of 5', '{"catalog":{"breaker":{"threshold":5}}}', 'between 0 and 1'],
    ['a fractional consecutive threshold', '{"catalog":{"breaker":{"mode":"consecutive","threshold":2.5}}}', 'whole number'],
  ])('refuses %s and says what is wrong', (_case, value, message) => {
    const result = parse(value);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(message);
  });
});
