import { RecordingResilienceListener } from '../testing';
import { UnavailableError } from '@nestkit/errors';
import { TaskCancelledError } from 'cockatiel';
import { bulkheadPolicy, UpstreamBulkheadPolicy } from './upstream-bulkhead.policy';

function gate() {
  const log: string[] = [];
  const open = new Map<string, () => void>();
  const call = (name: string) => () => {
    log.push(`enter ${name}`);
    return new Promise<string>((resolve) =>
      open.set(name, () => {
        log.push(`exit ${name}`);
        resolve(name);
      }),
    );
  };
  const release = (name: string) => open.get(name)?.();
  return { log, call, release };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe(UpstreamBulkheadPolicy.name, () => {
  let listener: RecordingResilienceListener;

  beforeEach(() => {
    listener = new RecordingResilienceListener();
  });

  it('runs up to maxConcurrent at once and lets queued calls enter in arrival order as slots free', async () => {
    const sut = bulkheadPolicy('catalog', { maxConcurrent: 2, maxQueued: 2 });
    const upstream = gate();
    const results = ['a', 'b', 'c', 'd'].map((name) => sut.execute(upstream.call(name)));
    await settle();
    expect(upstream.log).toEqual(['enter a', 'enter b']);
    expect([sut.executionSlots, sut.queueSlots]).toEqual([0, 0]);

    upstream.release('b');
    await settle();
    upstream.release('a');
    await settle();
    expect(upstream.log).toEqual(['enter a', 'enter b', 'exit b', 'enter c', 'exit a', 'enter d']);
    upstream.release('c');
    upstream.release('d');
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c', 'd']);
    expect([sut.executionSlots, sut.queueSlots]).toEqual([2, 2]);
  });

  it('rejects at once with bulkhead-full beyond capacity plus queue, without calling', async () => {
    const sut = bulkheadPolicy('catalog', { maxConcurrent: 1, maxQueued: 1, listener });
    const upstream = gate();
    const running = [sut.execute(upstream.call('a')), sut.execute(upstream.call('b'))];
    const rejected = sut.execute(upstream.call('c'));
    await expect(rejected).rejects.toBeInstanceOf(UnavailableError);
    await expect(rejected).rejects.toMatchObject({ code: 'bulkhead-full', kind: 'unavailable' });
    await expect(rejected).rejects.toThrow('Upstream "catalog" has too many calls in flight');
    expect(upstream.log).toEqual(['enter a']);
    expect(listener.events).toEqual([{ upstream: 'catalog', kind: 'bulkhead-rejected' }]);
    upstream.release('a');
    await settle();
    upstream.release('b');
    await expect(Promise.all(running)).resolves.toEqual(['a', 'b']);
  });

  it('defaults to no queue', async () => {
    const sut = bulkheadPolicy('catalog', { maxConcurrent: 1 });
    const upstream = gate();
    const running = sut.execute(upstream.call('a'));
    await expect(sut.execute(upstream.call('b'))).rejects.toMatchObject({ code: 'bulkhead-full' });
    upstream.release('a');
    await expect(running).resolves.toBe('a');
  });

  it('drops a queued call whose caller aborted before it got a slot', async () => {
    const sut = bulkheadPolicy('catalog', { maxConcurrent: 1, maxQueued: 1 });
    const upstream = gate();
    const caller = new AbortController();
    const running = sut.execute(upstream.call('a'));
    const queued = sut.execute(upstream.call('b'), caller.signal);
    queued.catch(() => undefined);
    caller.abort();
    upstream.release('a');
    await running;
    await expect(queued).rejects.toBeInstanceOf(TaskCancelledError);
    expect(upstream.log).toEqual(['enter a', 'exit a']);
  });
});
