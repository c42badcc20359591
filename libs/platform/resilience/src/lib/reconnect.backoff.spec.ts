import { reconnectDelay } from './reconnect.backoff';

describe(reconnectDelay.name, () => {
  const options = { initialMs: 100, maxMs: 1_000 };

  it('doubles from initialMs and caps at maxMs', () => {
    expect([0, 1, 2, 3, 4, 50].map((attempt) => reconnectDelay(attempt, options, () => 1))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect([0, 1, 2, 3, 4, 40].map((attempt) => reconnectDelay(attempt, options, () => 0.999999))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('jitters each delay down by at most half', () => {
    expect([0, 3, 4].map((attempt) => reconnectDelay(attempt, options, () => 0))).toEqual([50, 400, 500]);
    expect(reconnectDelay(2, options, () => 0.5)).toBe(300);
  });

  it('draws from Math.random when given no rng, staying within [half, whole] of the capped delay', () => {
    const delays = Array.from({ length: 100 }, () => reconnectDelay(3, options));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(400);
    expect(Math.max(...delays)).toBeLessThanOrEqual(800);
  });
});
