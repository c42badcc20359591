import { LeastPendingBalancer } from './least-pending.balancer';
import { PendingTracker } from './pending.tracker';

const candidates = ['a', 'b', 'c', 'd'].map((id) => ({ id }));

describe(LeastPendingBalancer.name, () => {
  it('picks the candidate with the fewest calls in flight', () => {
    const tracker = new PendingTracker();
    const sut = new LeastPendingBalancer(tracker);
    for (const [id, calls] of [['a', 3], ['b', 1], ['c', 2], ['d', 4]] as const) {
      for (let i = 0; i < calls; i += 1) tracker.start(id);
    }
    expect(sut.pick(candidates)!.id).toBe('b');
  });

  it('breaks ties round-robin, so an idle fleet is served in turn', () => {
    const sut = new LeastPendingBalancer(new PendingTracker());
    expect(Array.from({ length: 6 }, () => sut.pick(candidates)!.id)).toEqual(['a', 'b', 'c', 'd', 'a', 'b']);
  });

  it('rotates among the tied candidates only', () => {
    const tracker = new PendingTracker();
    const sut = new LeastPendingBalancer(tracker);
    tracker.start('a');
    tracker.start('c');
    expect(Array.from({ length: 4 }, () => sut.pick(candidates)!.id)).toEqual(['b', 'd', 'b', 'd']);
  });

  it('fills the fleet evenly when every picked call stays in flight', () => {
    const tracker = new PendingTracker();
    const sut = new LeastPendingBalancer(tracker);
    for (let i = 0; i < 10_000; i += 1) tracker.start(sut.pick(candidates)!.id);
    expect(candidates.map((c) => tracker.pending(c.id))).toEqual([2_500, 2_500, 2_500, 2_500]);
  });
});
