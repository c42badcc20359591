import { RetryBudget } from './retry.budget';

describe(RetryBudget.name, () => {
  let now: number;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000_000;
  });

  it('allows ratio x requests retries over the window, and not one more', () => {
    const sut = new RetryBudget({ ratio: 0.2, minRetriesPerSecond: 0, clock });
    for (let i = 0; i < 15; i++) sut.recordRequest();
    expect([sut.tryWithdraw(), sut.tryWithdraw(), sut.tryWithdraw()]).toEqual([true, true, true]);
    expect(sut.tryWithdraw()).toBe(false);
    expect(sut.available()).toBe(0);
  });

  it('adds a floor of minRetriesPerSecond x window seconds', () => {
    const sut = new RetryBudget({ ratio: 0.2, minRetriesPerSecond: 1, windowMs: 2_000, clock });
    expect(sut.available()).toBe(2);
    expect(sut.tryWithdraw()).toBe(true);
    expect(sut.tryWithdraw()).toBe(true);
    expect(sut.tryWithdraw()).toBe(false);
  });

  it('forgets requests and retries once they leave the sliding window', () => {
    const sut = new RetryBudget({ ratio: 0.5, minRetriesPerSecond: 0, windowMs: 10_000, clock });
    for (let i = 0; i < 4; i++) sut.recordRequest();
    expect(sut.tryWithdraw()).toBe(true);
    expect(sut.available()).toBe(1);
    now += 9_999;
    expect(sut.available()).toBe(1);
    now += 1;
    expect(sut.available()).toBe(0);
    sut.recordRequest();
    sut.recordRequest();
    expect(sut.available()).toBe(1);
  });

  it('defaults to 20% plus 1 retry/s over 10 s', () => {
    const sut = new RetryBudget();
    expect({ ratio: sut.ratio, minRetriesPerSecond: sut.minRetriesPerSecond, windowMs: sut.windowMs }).toEqual({
      ratio: 0.2,
      minRetriesPerSecond: 1,
      windowMs: 10_000,
    });
  });
});
