import { LatencyTracker } from './latency.tracker';

describe(LatencyTracker.name, () => {
  let now: number;
  const clock = () => now;

  beforeEach(() => {
    now = 0;
  });

  it('answers the nearest-rank p95', () => {
    const sut = new LatencyTracker({ clock });
    for (let ms = 100; ms >= 1; ms--) sut.record(ms);
    expect(sut.p95()).toBe(95);
    expect(sut.percentile(50)).toBe(50);
    expect(sut.percentile(100)).toBe(100);
  });

  it('knows nothing before the first sample', () => {
    expect(new LatencyTracker({ clock }).p95()).toBeUndefined();
  });

  it('forgets samples that left the window', () => {
    const sut = new LatencyTracker({ windowMs: 1_000, clock });
    sut.record(900);
    now = 500;
    sut.record(10);
    expect(sut.p95()).toBe(900);
    now = 1_000;
    expect(sut.p95()).toBe(10);
    now = 1_500;
    expect(sut.p95()).toBeUndefined();
  });

  it('keeps only the newest maxSamples', () => {
    const sut = new LatencyTracker({ maxSamples: 2, clock });
    [500, 20, 30].forEach((ms) => sut.record(ms));
    expect(sut.percentile(100)).toBe(30);
  });
});
