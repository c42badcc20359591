import { TimeoutError } from '@nestkit/errors';
import { TaskCancelledError, TimeoutPolicy, wrap } from 'cockatiel';
import { timeout, UpstreamTimeoutPolicy } from './upstream-timeout.policy';

const hang = () => new Promise<never>(() => undefined);

describe(UpstreamTimeoutPolicy.name, () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('is a cockatiel timeout policy that keeps its mapping inside wrap()', async () => {
    const sut = timeout('catalog', 200);
    expect(sut).toBeInstanceOf(TimeoutPolicy);
    const done = wrap(sut).execute(hang);
    done.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(200);
    await expect(done).rejects.toBeInstanceOf(TimeoutError);
  });

  it('fails a hung call with TimeoutError exactly when the budget runs out', async () => {
    const sut = timeout('catalog', 200);
    let outcome: unknown = 'pending';
    sut.execute(hang).catch((error: unknown) => (outcome = error));

    await vi.advanceTimersByTimeAsync(199);
    expect(outcome).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toBeInstanceOf(TimeoutError);
    expect(outcome).toMatchObject({ code: 'upstream-timeout', kind: 'timeout', retryable: true });
    expect((outcome as Error).message).toBe('Upstream "catalog" did not answer within 200 ms');
    expect((outcome as Error).cause).toBeInstanceOf(TaskCancelledError);
  });

  it('aborts the signal handed to the call so it can release its resources', async () => {
    const sut = timeout('catalog', 50);
    let seen: AbortSignal | undefined;
    const done = sut.execute(({ signal }) => {
      seen = signal;
      return hang();
    });
    done.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(50);
    await expect(done).rejects.toBeInstanceOf(TimeoutError);
    expect(seen?.aborted).toBe(true);
  });

  it('returns the result of a call that finishes in time and clears its timer', async () => {
    const sut = timeout('catalog', 200);
    await expect(sut.execute(async () => 'ok')).resolves.toBe('ok');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('tells the listener about each timeout', async () => {
    const events: unknown[] = [];
    const done = timeout('catalog', 200, { onEvent: (event) => events.push(event) }).execute(hang);
    done.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(200);
    await expect(done).rejects.toBeInstanceOf(TimeoutError);
    expect(events).toEqual([{ upstream: 'catalog', kind: 'timeout', budgetMs: 200 }]);
  });

  it('passes the call’s own failure through untouched', async () => {
    const failure = new Error('boom');
    await expect(timeout('catalog', 200).execute(() => Promise.reject(failure))).rejects.toBe(failure);
  });

  it('does not report a cancellation by the caller as a timeout', async () => {
    const caller = new AbortController();
    const done = timeout('catalog', 200).execute(hang, caller.signal);
    done.catch(() => undefined);
    caller.abort();
    await expect(done).rejects.toBeInstanceOf(TaskCancelledError);
  });

  it('keeps the mapping on the unref’d variant', async () => {
    const sut = timeout('orders', 100).dangerouslyUnref();
    const done = sut.execute(hang);
    done.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(100);
    await expect(done).rejects.toThrow('Upstream "orders" did not answer within 100 ms');
  });
});
