/** A clock tests move by hand: pass `clock.now` wherever a `now: () => number` is taken. */
export class ManualClock {
  private current: number;

  constructor(start = Date.UTC(2030, 0, 1)) {
    this.current = start;
  }

  /** The current time in epoch milliseconds. */
  readonly now = (): number => this.current;

  /** Moves the clock `ms` milliseconds forward. */
  advance(ms: number): void {
    this.current += ms;
  }
}
