import { TimeoutError } from '@nestkit/errors';
import { PendingRequests, type RequestOutcome } from './pending-requests';

describe(PendingRequests.name, () => {
  let sut: PendingRequests;
  let outcomes: RequestOutcome[];
  const record = (outcome: RequestOutcome) => void outcomes.push(outcome);

  beforeEach(() => {
    vi.useFakeTimers();
    sut = new PendingRequests();
    outcomes = [];
  });
  afterEach(() => vi.useRealTimers());

  it('times a request out exactly at its timeout, once', () => {
    sut.add('r1', 'test.ping', 100, record);
    vi.advanceTimersByTime(99);
    expect(outcomes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ ok: false, error: expect.any(TimeoutError) });
    expect(sut.settle('r1', { ok: true, data: 'late' })).toBe(false);
    expect(outcomes).toHaveLength(1);
  });

  it('settles with the reply and stops the timer', () => {
    sut.add('r1', 'test.ping', 100, record);
    expect(sut.patternOf('r1')).toBe('test.ping');
    expect(sut.settle('r1', { ok: true, data: 42 })).toBe(true);
    vi.advanceTimersByTime(1_000);
    expect(outcomes).toEqual([{ ok: true, data: 42 }]);
    expect(sut.patternOf('r1')).toBeUndefined();
  });

  it('forgets a cancelled request without settling it', () => {
    sut.add('r1', 'test.ping', 100, record);
    sut.cancel('r1');
    vi.advanceTimersByTime(1_000);
    expect(outcomes).toEqual([]);
    expect(sut.size).toBe(0);
  });

  it('fails every waiting request with an error naming its pattern', () => {
    sut.add('r1', 'test.a', 100, record);
    sut.add('r2', 'test.b', 100, record);
    sut.failAll((pattern) => new Error(`closed before ${pattern}`));
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.message))).toEqual(['closed before test.a', 'closed before test.b']);
    expect(sut.size).toBe(0);
  });
});
