/** The header that carries a request's remaining time budget, in whole milliseconds, to the next hop. */
export const DEADLINE_HEADER = 'x-request-deadline';

const MAX_HEADER_MS = 86_400_000;

/**
 * An absolute point in time (epoch milliseconds) by which a request must be answered. It travels
 * between services as the remaining milliseconds rather than a timestamp, as gRPC's `grpc-timeout`
 * does, so clock skew between hosts does not shorten or stretch it.
 */
export class Deadline {
  private constructor(readonly epochMs: number) {}

  /** The deadline at an absolute epoch-ms time. */
  static at(epochMs: number): Deadline {
    return new Deadline(epochMs);
  }

  /** The deadline `ms` from `now`. */
  static after(ms: number, now = Date.now()): Deadline {
    return new Deadline(now + Math.max(0, ms));
  }

  /**
   * Reads a `x-request-deadline` value (remaining ms). Returns `undefined` when it is absent or not a
   * whole number of milliseconds up to one day, so a malformed header means "no deadline", not a failure.
   */
  static fromHeader(value: string | readonly string[] | undefined, now = Date.now()): Deadline | undefined {
    const raw = Array.isArray(value) ? value[0] : value;
    if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw.trim())) return undefined;
    const ms = Number(raw.trim());
    return ms > MAX_HEADER_MS ? undefined : Deadline.after(ms, now);
  }

  /** The earlier of `deadline` (if any) and `timeoutMs` from now: a call never outlives its caller. */
  static min(deadline: Deadline | undefined, timeoutMs: number, now = Date.now()): Deadline {
    const own = Deadline.after(timeoutMs, now);
    return deadline && deadline.epochMs < own.epochMs ? deadline : own;
  }

  /** Milliseconds left, never negative. */
  remaining(now = Date.now()): number {
    return Math.max(0, this.epochMs - now);
  }

  /** True once no time is left. */
  expired(now = Date.now()): boolean {
    return this.remaining(now) === 0;
  }

  /** The value for the {@link DEADLINE_HEADER} header: the remaining whole milliseconds. */
  toHeader(now = Date.now()): string {
    return String(Math.floor(this.remaining(now)));
  }
}
