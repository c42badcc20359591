import { backoffDelay } from './reconnect.backoff';

describe(backoffDelay.name, () => {
  const options = { initialMs: 100, maxMs: 1_000 };

  it('doubles from the initial delay up to the cap', () => {
    expect([0, 1, 2, 3, 4, 50].map((attempt) => backoffDelay(attempt, options, () => 1))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('jitters down by at most half', () => {
    expect(backoffDelay(3, options, () => 0)).toBe(400);
  });
});
