import type { Balancer } from './balancer';
import { PendingTracker } from './pending.tracker';
import { PowerOfTwoChoicesBalancer } from './power-of-two-choices.balancer';
import { RandomBalancer } from './random.balancer';
import { seededRandom } from './seeded-random';

const candidates = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));

/**
 * Discrete-time fleet: one call arrives per tick and holds its instance for that instance's latency.
 * `slow` answers in 40 ticks, the others in 4, so calls pile up on it unless the balancer notices.
 */
function simulate(makeBalancer: (tracker: PendingTracker) => Balancer, calls: number) {
  const tracker = new PendingTracker();
  const sut = makeBalancer(tracker);
  const releases = new Map<number, Array<() => void>>();
  const sent = new Map<string, number>();
  let totalLatency = 0;
  for (let tick = 0; tick < calls; tick += 1) {
    for (const release of releases.get(tick) ?? []) release();
    releases.delete(tick);
    const { id } = sut.pick(candidates)!;
    const latency = id === 'a' ? 40 : 4;
    totalLatency += latency;
    sent.set(id, (sent.get(id) ?? 0) + 1);
    const done = tick + latency;
    releases.set(done, [...(releases.get(done) ?? []), tracker.start(id)]);
  }
  return { slowShare: (sent.get('a') ?? 0) / calls, meanLatency: totalLatency / calls };
}

describe(PowerOfTwoChoicesBalancer.name, () => {
  it('sends measurably less to a slow instance than random does, on the same seeded fleet', () => {
    const random = simulate(() => new RandomBalancer(seededRandom(7)), 10_000);
    const p2c = simulate((tracker) => new PowerOfTwoChoicesBalancer(tracker, seededRandom(7)), 10_000);
    expect(random.slowShare).toBeGreaterThan(0.18);
    expect(p2c.slowShare).toBeLessThan(random.slowShare / 2);
    expect(p2c.meanLatency).toBeLessThan(random.meanLatency * 0.75);
  });

  it('picks the less busy of the two sampled candidates', () => {
    const tracker = new PendingTracker();
    tracker.start('a');
    // 0.0 samples index 0 ('a'); 0.3 * 4 remaining slots samples index 1, shifted past 'a' to 'c'.
    const rolls = [0, 0.3];
    const sut = new PowerOfTwoChoicesBalancer(tracker, () => rolls.shift()!);
    expect(sut.pick(candidates)!.id).toBe('c');
  });

  it('never samples the same candidate twice', () => {
    const tracker = new PendingTracker();
    tracker.start('a');
    // Both rolls land on the first slot, yet the second draw skips past 'a' to 'b'.
    const sut = new PowerOfTwoChoicesBalancer(tracker, () => 0);
    expect(sut.pick(candidates.slice(0, 2))!.id).toBe('b');
  });

  it('keeps the first sample on a tie, and clamps an rng that returns 1', () => {
    const sut = new PowerOfTwoChoicesBalancer(new PendingTracker(), () => 1);
    expect(sut.pick(candidates)!.id).toBe('e');
  });
});
