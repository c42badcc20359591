// Per-call overhead of the resilience stack, side by side with bare cockatiel and opossum in one run.
// The protected call does nothing (a resolved promise), so what is measured is the policy itself.
// Run: npm run bench:resilience (see bench/README.md); results go to bench/RESULTS.md.
import { bulkhead, circuitBreaker, ConsecutiveBreaker, ExponentialBackoff, handleAll, retry, timeout, TimeoutStrategy, wrap } from 'cockatiel';
import CircuitBreaker from 'opossum';
import { bench, describe } from 'vitest';
import { policyFor, RECOMMENDED_UPSTREAM_POLICY } from '@nestkit/resilience';

const call = async () => 1;

const ours = policyFor('bench', RECOMMENDED_UPSTREAM_POLICY);
const oursTimeoutOnly = policyFor('bench-timeout', { timeoutMs: 2_000 });
const bareCockatiel = wrap(
  bulkhead(64, 64),
  circuitBreaker(handleAll, { halfOpenAfter: 5_000, breaker: new ConsecutiveBreaker(5) }),
  retry(handleAll, { maxAttempts: 2, backoff: new ExponentialBackoff() }),
  timeout(2_000, TimeoutStrategy.Aggressive),
);
const bareCockatielTimeout = timeout(2_000, TimeoutStrategy.Aggressive);
const opossum = new CircuitBreaker(call, { timeout: 2_000, errorThresholdPercentage: 50, resetTimeout: 5_000, capacity: 128 });

describe('per-call overhead, full stack (bulkhead, breaker, retry, timeout)', () => {
  bench('no policy (baseline)', async () => {
    await call();
  });
  bench('nestkit policyFor(RECOMMENDED_UPSTREAM_POLICY)', async () => {
    await ours.execute(call);
  });
  bench('bare cockatiel wrap(bulkhead, breaker, retry, timeout)', async () => {
    await bareCockatiel.execute(call);
  });
  bench('opossum CircuitBreaker (breaker + timeout + capacity)', async () => {
    await opossum.fire();
  });
});

describe('per-call overhead, timeout only', () => {
  bench('nestkit policyFor({ timeoutMs })', async () => {
    await oursTimeoutOnly.execute(call);
  });
  bench('bare cockatiel timeout(Aggressive)', async () => {
    await bareCockatielTimeout.execute(call);
  });
});
