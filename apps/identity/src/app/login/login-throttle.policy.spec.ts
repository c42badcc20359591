import { recordAttempt, releaseAttempt, type ThrottleState } from './login-throttle.policy';

const rule = { maxAttempts: 3, windowMs: 60_000, lockoutMs: 300_000 };
const t0 = 1_000_000;

function attempts(count: number, start = t0): { state?: ThrottleState; allowed: boolean[] } {
  let state: ThrottleState | undefined;
  const allowed: boolean[] = [];
  for (let i = 0; i < count; i += 1) {
    const decision = recordAttempt(state, start + i, rule);
    allowed.push(decision.allowed);
    if (decision.allowed) state = decision.next;
  }
  return { state, allowed };
}

describe(recordAttempt.name, () => {
  it('lets exactly maxAttempts through, then refuses with the time left on the lock', () => {
    const { state, allowed } = attempts(5);

    expect(allowed).toEqual([true, true, true, false, false]);
    expect(state).toEqual({ attempts: 3, windowStartedAt: t0, lockedUntil: t0 + 2 + 300_000 });
    expect(recordAttempt(state, t0 + 2 + 299_999, rule)).toEqual({ allowed: false, retryAfterMs: 1 });
  });

  it('opens a fresh window once the lock has run out', () => {
    const { state } = attempts(3);

    expect(recordAttempt(state, t0 + 2 + 300_000, rule)).toEqual({ allowed: true, next: { attempts: 1, windowStartedAt: t0 + 2 + 300_000, lockedUntil: 0 } });
  });

  it('forgets attempts older than the window', () => {
    const { state } = attempts(2);

    expect(recordAttempt(state, t0 + 60_000, rule)).toEqual({ allowed: true, next: { attempts: 1, windowStartedAt: t0 + 60_000, lockedUntil: 0 } });
    expect(recordAttempt(state, t0 + 59_999, rule)).toMatchObject({ allowed: true, next: { attempts: 3 } });
  });
});

describe(releaseAttempt.name, () => {
  it('gives the attempt back and lifts the lock it set', () => {
    const { state } = attempts(3);

    expect(releaseAttempt(state!, rule)).toEqual({ attempts: 2, windowStartedAt: t0, lockedUntil: 0 });
  });
});
