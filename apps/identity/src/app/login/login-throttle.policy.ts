/** Limits for one kind of key (per account, per address). Times in ms. */
export interface ThrottleRule {
  maxAttempts: number;
  windowMs: number;
  lockoutMs: number;
}

/** The counter of one key. */
export interface ThrottleState {
  attempts: number;
  windowStartedAt: number;
  /** 0 when not locked. */
  lockedUntil: number;
}

/** Whether an attempt may proceed, and the state to store if it does. */
export type ThrottleDecision = { allowed: true; next: ThrottleState } | { allowed: false; retryAfterMs: number };

/**
 * Counts an attempt before the password is checked, so parallel guesses cannot slip past the limit:
 * attempts 1..maxAttempts within the window proceed and the last of them locks the key for lockoutMs;
 * any attempt while locked is refused with the time left. A new window starts when the old one (or the
 * lock) ran out.
 */
export function recordAttempt(state: ThrottleState | undefined, now: number, rule: ThrottleRule): ThrottleDecision {
  if (state && state.lockedUntil > now) return { allowed: false, retryAfterMs: state.lockedUntil - now };
  const fresh = !state || state.lockedUntil !== 0 || now - state.windowStartedAt >= rule.windowMs;
  const attempts = (fresh ? 0 : state.attempts) + 1;
  return {
    allowed: true,
    next: {
      attempts,
      windowStartedAt: fresh ? now : state.windowStartedAt,
      lockedUntil: attempts >= rule.maxAttempts ? now + rule.lockoutMs : 0,
    },
  };
}

/**
 * Gives back an attempt that turned out to be a successful login: on an address counter, so that many
 * users behind one NAT are limited only by their failures, and any lock that attempt set is lifted.
 */
export function releaseAttempt(state: ThrottleState, rule: ThrottleRule): ThrottleState {
  const attempts = Math.max(0, state.attempts - 1);
  return { ...state, attempts, lockedUntil: attempts >= rule.maxAttempts ? state.lockedUntil : 0 };
}
