/** Timeout for one readiness check: a hung dependency must not hang the probe. */
export const CHECK_TIMEOUT_MS = 2_000;

/** Rejects when `promise` has not settled within the check timeout, naming the indicator. */
export function withTimeout(promise: Promise<void>, name: string, timeoutMs = CHECK_TIMEOUT_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
