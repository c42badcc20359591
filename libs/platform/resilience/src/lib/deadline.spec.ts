import { DEADLINE_HEADER, Deadline } from './deadline';

const now = 1_700_000_000_000;

describe(Deadline.name, () => {
  it('counts the remaining time down to zero, never below', () => {
    const sut = Deadline.after(300, now);
    expect(sut.epochMs).toBe(now + 300);
    expect(sut.remaining(now + 100)).toBe(200);
    expect(sut.expired(now + 299)).toBe(false);
    expect(sut.remaining(now + 500)).toBe(0);
    expect(sut.expired(now + 300)).toBe(true);
  });

  it('round-trips through the header as remaining milliseconds', () => {
    expect(DEADLINE_HEADER).toBe('x-request-deadline');
    const sut = Deadline.at(now + 250.7);
    expect(sut.toHeader(now)).toBe('250');
    expect(Deadline.fromHeader(sut.toHeader(now), now + 10)?.epochMs).toBe(now + 260);
    expect(Deadline.fromHeader(['120', '999'], now)?.remaining(now)).toBe(120);
  });

  it.each([undefined, '', 'soon', '-5', '1.5', '86400001', '9999999999'])('ignores the unusable header value %j', (value) => {
    expect(Deadline.fromHeader(value, now)).toBeUndefined();
  });

  it('takes the earlier of the caller deadline and the own timeout', () => {
    expect(Deadline.min(Deadline.after(100, now), 500, now).epochMs).toBe(now + 100);
    expect(Deadline.min(Deadline.after(900, now), 500, now).epochMs).toBe(now + 500);
    expect(Deadline.min(undefined, 500, now).epochMs).toBe(now + 500);
  });

  it('reads the clock when no time is given', () => {
    vi.useFakeTimers({ now });
    const sut = Deadline.after(1_000);
    vi.advanceTimersByTime(400);
    expect(sut.remaining()).toBe(600);
    vi.useRealTimers();
  });
});
