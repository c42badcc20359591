import { z } from 'zod';

const count = (fallback: number) => z.coerce.number().int().min(1).max(10_000).default(fallback);
const seconds = (fallback: number) => z.coerce.number().int().min(1).max(7 * 24 * 3_600).default(fallback);

/** Limits on login attempts, per account (e-mail, registered or not) and per client address. */
export const loginThrottleConfigSchema = z.object({
  /** Attempts on one e-mail within the window before it is locked for LOGIN_LOCKOUT_SEC. */
  LOGIN_MAX_ATTEMPTS_PER_ACCOUNT: count(5),
  /** Failed attempts from one address within the window before it is throttled for LOGIN_LOCKOUT_SEC. */
  LOGIN_MAX_ATTEMPTS_PER_IP: count(50),
  LOGIN_ATTEMPT_WINDOW_SEC: seconds(15 * 60),
  LOGIN_LOCKOUT_SEC: seconds(15 * 60),
  /**
   * Proxies in front of identity that append to `x-forwarded-for` (the gateway is one). 0 uses the socket
   * address. Set it exactly: a value too high lets a client pick its own address.
   */
  LOGIN_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
});

export type LoginThrottleConfig = z.infer<typeof loginThrottleConfigSchema>;
