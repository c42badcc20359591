import { AdaptiveLimiter } from './adaptive.limiter';

function fill(sut: AdaptiveLimiter, calls: number): void {
  for (let i = 0; i < calls; i++) expect(sut.acquire()).toBe(true);
}

describe(AdaptiveLimiter.name, () => {
  it('admits up to the limit and rejects the next call without taking a slot', () => {
    const sut = new AdaptiveLimiter({ initialLimit: 3 });
    fill(sut, 3);
    expect(sut.acquire()).toBe(false);
    expect(sut.inFlight).toBe(3);
  });

  it('grows by one per good call made while at least half the limit is in use', () => {
    const sut = new AdaptiveLimiter({ initialLimit: 4 });
    fill(sut, 2);
    sut.release(10, true);
    expect(sut.limit).toBe(5);
    sut.release(10, true);
    expect(sut.limit).toBe(5);
  });

  it('shrinks multiplicatively on a failed call', () => {
    const sut = new AdaptiveLimiter({ initialLimit: 20, backoffRatio: 0.5 });
    fill(sut, 1);
    sut.release(10, false);
    expect(sut.limit).toBe(10);
  });

  it('treats a call slower than slowCallMs as a drop', () => {
    const sut = new AdaptiveLimiter({ initialLimit: 10, slowCallMs: 1_000 });
    fill(sut, 10);
    sut.release(1_000, true);
    expect(sut.limit).toBe(11);
    sut.release(1_001, true);
    expect(sut.limit).toBe(9);
  });

  it('stays within minLimit and maxLimit', () => {
    const sut = new AdaptiveLimiter({ initialLimit: 2, minLimit: 2, maxLimit: 3, backoffRatio: 0.1 });
    fill(sut, 2);
    sut.release(1, true);
    sut.release(1, true);
    expect(sut.limit).toBe(3);
    fill(sut, 1);
    sut.release(1, false);
    expect(sut.limit).toBe(2);
  });
});
