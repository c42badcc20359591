import { backoffDelay, exponentialBackoff } from './exponential.backoff';

const shape = { baseDelayMs: 100, maxDelayMs: 1_000 };

describe(backoffDelay.name, () => {
  it('doubles from baseDelayMs and caps at maxDelayMs, with jitter none', () => {
    expect([0, 1, 2, 3, 4, 40, 2_000].map((retry) => backoffDelay(retry, { ...shape, jitter: 'none' }))).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000]);
  });

  it('stays a number for a zero base delay however many attempts a long outage makes', () => {
    expect(backoffDelay(5_000, { baseDelayMs: 0, maxDelayMs: 1_000, jitter: 'none' })).toBe(0);
  });

  it('draws full jitter from [0, capped delay), rounded down, and uses it by default', () => {
    expect([0, 0.5, 0.999].map((draw) => backoffDelay(3, { ...shape, rng: () => draw }))).toEqual([0, 400, 799]);
    expect(backoffDelay(4, { ...shape, jitter: 'full', rng: () => 0.25 })).toBe(250);
  });

  it('keeps half with equal jitter and draws the other half, rounded to the nearest ms', () => {
    expect([0, 0.5, 0.999999].map((draw) => backoffDelay(3, { ...shape, jitter: 'equal', rng: () => draw }))).toEqual([400, 600, 800]);
    expect(backoffDelay(40, { ...shape, jitter: 'equal', rng: () => 0 })).toBe(500);
  });
});

describe(exponentialBackoff.name, () => {
  it("walks cockatiel's backoff chain through the same delays as backoffDelay", () => {
    const draws = [0.5, 0.25, 0.75, 0.1, 0.9];
    const options = { ...shape, rng: () => draws.shift() ?? 0 };
    const delays: number[] = [];
    let backoff = exponentialBackoff(options).next();
    for (let retry = 0; retry < 5; retry += 1) {
      delays.push(backoff.duration);
      backoff = backoff.next(undefined);
    }
    expect(delays).toEqual([50, 50, 300, 80, 900]);
  });
});
