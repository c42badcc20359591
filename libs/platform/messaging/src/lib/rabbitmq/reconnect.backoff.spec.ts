import { backoffDelay } from './reconnect.backoff';

describe(backoffDelay.name, () => {
  const options = { initialMs: 100, maxMs: 1_000 };

  it('doubles from initialMs and caps at maxMs', () => {
    expect([0, 1, 2, 3, 4, 40].map((attempt) => backoffDelay(attempt, options, () => 0.999999))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('jitters each delay down by at most half', () => {
    expect([0, 3, 4].map((attempt) => backoffDelay(attempt, options, () => 0))).toEqual([50, 400, 500]);
    expect(backoffDelay(2, options, () => 0.5)).toBe(300);
  });
});
