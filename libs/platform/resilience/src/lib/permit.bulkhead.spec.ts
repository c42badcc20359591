import { PermitBulkhead } from './permit.bulkhead';
import type { ResilienceEvent } from './resilience-event';

describe(PermitBulkhead.name, () => {
  it('admits maxConcurrent at once, queues maxQueued first in first out, refuses the rest with bulkhead-full', async () => {
    const events: ResilienceEvent[] = [];
    const sut = new PermitBulkhead('catalog', { maxConcurrent: 2, maxQueued: 2, listener: { onEvent: (event) => events.push(event) } });
    expect([sut.acquire(), sut.acquire()]).toEqual([undefined, undefined]);
    const order: string[] = [];
    const first = sut.acquire()?.then(() => order.push('first'));
    const second = sut.acquire()?.then(() => order.push('second'));
    expect([sut.executionSlots, sut.queueSlots]).toEqual([0, 0]);
    expect(() => sut.acquire()).toThrow(expect.objectContaining({ code: 'bulkhead-full', message: 'Upstream "catalog" has too many calls in flight' }));
    expect(events).toEqual([{ upstream: 'catalog', kind: 'bulkhead-rejected' }]);
    sut.release();
    await first;
    expect(order).toEqual(['first']);
    sut.release();
    await second;
    expect(order).toEqual(['first', 'second']);
    expect(sut.executionSlots).toBe(0);
    sut.release();
    sut.release();
    expect(sut.executionSlots).toBe(2);
  });

  it('lets a queued call leave with its signal’s reason, without taking a slot', async () => {
    const sut = new PermitBulkhead('catalog', { maxConcurrent: 1, maxQueued: 1 });
    sut.acquire();
    const caller = new AbortController();
    const waiting = sut.acquire(caller.signal);
    caller.abort(new Error('client went away'));
    await expect(waiting).rejects.toThrow('client went away');
    expect(sut.queueSlots).toBe(1);
    sut.release();
    expect(sut.executionSlots).toBe(1);
  });
});
