import { OutlierDetector } from './outlier.detector';

const fleet = ['a', 'b', 'c'].map((id) => ({ id }));
const ids = (list: readonly { id: string }[]) => list.map((c) => c.id);

function fail(sut: OutlierDetector, id: string, times: number): void {
  for (let i = 0; i < times; i += 1) sut.recordFailure(id);
}

describe(OutlierDetector.name, () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('ejects an instance at exactly the fifth consecutive failure', () => {
    const sut = new OutlierDetector();
    fail(sut, 'a', 4);
    expect(ids(sut.filter(fleet))).toEqual(['a', 'b', 'c']);
    sut.recordFailure('a');
    expect(ids(sut.filter(fleet))).toEqual(['b', 'c']);
    expect(sut.ejected()).toEqual([{ id: 'a', until: 10_000, ejections: 1 }]);
  });

  it('counts only consecutive failures: a success resets the streak', () => {
    const sut = new OutlierDetector();
    fail(sut, 'a', 4);
    sut.recordSuccess('a');
    fail(sut, 'a', 4);
    expect(sut.filter(fleet)).toBe(fleet);
  });

  it('lets the instance back for a probe at exactly the end of the interval', () => {
    const sut = new OutlierDetector();
    fail(sut, 'a', 5);
    vi.advanceTimersByTime(9_999);
    expect(ids(sut.filter(fleet))).toEqual(['b', 'c']);
    vi.advanceTimersByTime(1);
    expect(ids(sut.filter(fleet))).toEqual(['a', 'b', 'c']);
    expect(sut.ejected()).toEqual([]);
  });

  it('ejects again for twice as long when the probe fails, up to the cap', () => {
    const sut = new OutlierDetector({ maxEjectionMs: 35_000 });
    const intervals: number[] = [];
    fail(sut, 'a', 5);
    for (let round = 0; round < 4; round += 1) {
      const { until } = sut.ejected()[0];
      intervals.push(until - Date.now());
      vi.setSystemTime(until);
      sut.recordFailure('a');
    }
    expect(intervals).toEqual([10_000, 20_000, 35_000, 35_000]);
    expect(sut.ejected()[0].ejections).toBe(5);
  });

  it('restores the instance on a successful probe, and forgives one ejection per healthy interval', () => {
    const sut = new OutlierDetector();
    fail(sut, 'a', 5);
    vi.setSystemTime(10_000);
    sut.recordFailure('a');
    vi.setSystemTime(30_000);
    sut.recordSuccess('a');
    fail(sut, 'a', 4);
    expect(sut.filter(fleet)).toBe(fleet);
    vi.setSystemTime(39_999);
    sut.recordFailure('a');
    expect(sut.ejected()).toEqual([{ id: 'a', until: 79_999, ejections: 3 }]);

    vi.setSystemTime(79_999);
    sut.recordSuccess('a');
    vi.setSystemTime(79_999 + 20_000);
    fail(sut, 'a', 5);
    expect(sut.ejected()).toEqual([{ id: 'a', until: 99_999 + 20_000, ejections: 2 }]);
  });

  it('ignores outcomes that arrive while the instance is ejected', () => {
    const sut = new OutlierDetector();
    fail(sut, 'a', 5);
    vi.advanceTimersByTime(5_000);
    sut.recordSuccess('a');
    fail(sut, 'a', 3);
    expect(sut.ejected()).toEqual([{ id: 'a', until: 10_000, ejections: 1 }]);
  });

  it('never leaves the pool empty: with every candidate ejected, it returns them all', () => {
    const sut = new OutlierDetector();
    fail(sut, 'a', 5);
    fail(sut, 'b', 5);
    expect(ids(sut.filter(fleet))).toEqual(['c']);
    fail(sut, 'c', 5);
    expect(sut.filter(fleet)).toBe(fleet);
    expect(ids(sut.filter([{ id: 'a' }]))).toEqual(['a']);
  });

  it('returns the same filtered array until an ejection starts or ends', () => {
    const sut = new OutlierDetector();
    fail(sut, 'a', 5);
    const first = sut.filter(fleet);
    vi.advanceTimersByTime(9_999);
    expect(sut.filter(fleet)).toBe(first);
    fail(sut, 'b', 5);
    expect(ids(sut.filter(fleet))).toEqual(['c']);
    vi.advanceTimersByTime(1);
    expect(ids(sut.filter(fleet))).toEqual(['a', 'c']);
  });

  it('also leaves out instances whose breaker is open', () => {
    const open = new Set(['b']);
    const sut = new OutlierDetector({ isOpen: (id) => open.has(id) });
    expect(ids(sut.filter(fleet))).toEqual(['a', 'c']);
    open.add('a');
    open.add('c');
    expect(sut.filter(fleet)).toBe(fleet);
  });

  it('takes its thresholds and clock from the options', () => {
    let now = 1_000;
    const sut = new OutlierDetector({ consecutiveFailures: 2, baseEjectionMs: 500, clock: () => now });
    fail(sut, 'a', 2);
    expect(sut.ejected()).toEqual([{ id: 'a', until: 1_500, ejections: 1 }]);
    now = 1_500;
    expect(ids(sut.filter(fleet))).toEqual(['a', 'b', 'c']);
  });

  it('rejects thresholds that are not positive numbers', () => {
    expect(() => new OutlierDetector({ consecutiveFailures: 0 })).toThrow(RangeError);
    expect(() => new OutlierDetector({ baseEjectionMs: Number.NaN })).toThrow(RangeError);
  });
});
