import { RecordingResilienceListener } from '../testing';
import { NotFoundError, UnavailableError } from '@nestkit/errors';
import { TaskCancelledError } from 'cockatiel';
import { type HedgeContext, hedge } from './hedge';

interface Attempt {
  readonly context: HedgeContext;
  resolve(value: string): void;
  reject(error: unknown): void;
}

function controlledUpstream() {
  const attempts: Attempt[] = [];
  const call = (context: HedgeContext) =>
    new Promise<string>((resolve, reject) => {
      attempts.push({ context, resolve, reject });
    });
  return { attempts, call };
}

describe(hedge.name, () => {
  let listener: RecordingResilienceListener;

  beforeEach(() => {
    vi.useFakeTimers();
    listener = new RecordingResilienceListener();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('makes one call when the first attempt answers within the delay', async () => {
    const upstream = controlledUpstream();
    const done = hedge(upstream.call, { delayMs: 100 });
    await vi.advanceTimersByTimeAsync(50);
    upstream.attempts[0].resolve('fast');
    await expect(done).resolves.toBe('fast');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(upstream.attempts).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('starts the hedge exactly at delayMs; the first answer wins and the loser is aborted', async () => {
    const upstream = controlledUpstream();
    const done = hedge(upstream.call, { delayMs: 100, upstream: 'catalog', listener });
    await vi.advanceTimersByTimeAsync(99);
    expect(upstream.attempts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(upstream.attempts.map((attempt) => attempt.context.hedge)).toEqual([0, 1]);
    expect(listener.events).toEqual([{ upstream: 'catalog', kind: 'hedge', hedge: 1, delayMs: 100 }]);

    upstream.attempts[1].resolve('hedged');
    await expect(done).resolves.toBe('hedged');
    expect(upstream.attempts[0].context.signal.aborted).toBe(true);
    expect(upstream.attempts[0].context.signal.reason).toBeInstanceOf(TaskCancelledError);
    expect(upstream.attempts[1].context.signal.aborted).toBe(false);
  });

  it('lets the first attempt win after the hedge started and aborts the hedge', async () => {
    const upstream = controlledUpstream();
    const done = hedge(upstream.call, { delayMs: 100 });
    await vi.advanceTimersByTimeAsync(150);
    upstream.attempts[0].resolve('primary');
    await expect(done).resolves.toBe('primary');
    expect(upstream.attempts.map((attempt) => attempt.context.signal.aborted)).toEqual([false, true]);
  });

  it('throws the last error when every attempt fails', async () => {
    const upstream = controlledUpstream();
    const done = hedge(upstream.call, { delayMs: 100 });
    done.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(100);
    upstream.attempts[1].reject(new UnavailableError('first to fail'));
    await vi.advanceTimersByTimeAsync(0);
    upstream.attempts[0].reject(new UnavailableError('last to fail'));
    await expect(done).rejects.toThrow('last to fail');
    expect(upstream.attempts).toHaveLength(2);
  });

  it('hedges at once when the first attempt fails before the delay', async () => {
    const upstream = controlledUpstream();
    const done = hedge(upstream.call, { delayMs: 100 });
    await vi.advanceTimersByTimeAsync(10);
    upstream.attempts[0].reject(new UnavailableError('reset'));
    await vi.advanceTimersByTimeAsync(0);
    expect(upstream.attempts).toHaveLength(2);
    upstream.attempts[1].resolve('second');
    await expect(done).resolves.toBe('second');
  });

  it('takes a business error as the answer and does not hedge', async () => {
    const upstream = controlledUpstream();
    const done = hedge(upstream.call, { delayMs: 100 });
    done.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(0);
    const missing = new NotFoundError('no such product');
    upstream.attempts[0].reject(missing);
    await expect(done).rejects.toBe(missing);
    await vi.advanceTimersByTimeAsync(500);
    expect(upstream.attempts).toHaveLength(1);
  });

  it('sends up to maxHedges further attempts, one delay apart', async () => {
    const upstream = controlledUpstream();
    const done = hedge(upstream.call, { delayMs: 100, maxHedges: 2 });
    await vi.advanceTimersByTimeAsync(100);
    expect(upstream.attempts).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(upstream.attempts).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(upstream.attempts).toHaveLength(3);
    upstream.attempts[2].resolve('third');
    await expect(done).resolves.toBe('third');
    expect(upstream.attempts.map((attempt) => attempt.context.signal.aborted)).toEqual([true, true, false]);
  });

  it('aborts every attempt when the caller aborts', async () => {
    const upstream = controlledUpstream();
    const caller = new AbortController();
    const done = hedge(upstream.call, { delayMs: 100, signal: caller.signal });
    done.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(100);
    caller.abort();
    await expect(done).rejects.toBeInstanceOf(TaskCancelledError);
    expect(upstream.attempts.map((attempt) => attempt.context.signal.aborted)).toEqual([true, true]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
