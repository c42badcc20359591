import { PendingTracker } from './pending.tracker';

describe(PendingTracker.name, () => {
  it('counts calls in flight per instance', () => {
    const sut = new PendingTracker();
    sut.start('a');
    const release = sut.start('a');
    sut.start('b');
    expect([sut.pending('a'), sut.pending('b'), sut.pending('c')]).toEqual([2, 1, 0]);
    release();
    expect(sut.pending('a')).toBe(1);
  });

  it('releases a call once, however often release is called', () => {
    const sut = new PendingTracker();
    const first = sut.start('a');
    sut.start('a');
    first();
    first();
    expect(sut.pending('a')).toBe(1);
  });

  it('tracks an async call until it settles, also when it rejects', async () => {
    const sut = new PendingTracker();
    let finish!: (value: string) => void;
    const call = sut.track('a', () => new Promise<string>((resolve) => (finish = resolve)));
    expect(sut.pending('a')).toBe(1);
    finish('ok');
    await expect(call).resolves.toBe('ok');
    await expect(sut.track('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(sut.pending('a')).toBe(0);
  });
});
