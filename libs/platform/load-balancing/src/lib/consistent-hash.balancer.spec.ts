import { ConsistentHashBalancer } from './consistent-hash.balancer';

const fleet = (size: number) => Array.from({ length: size }, (_, i) => ({ id: `catalog-${i + 1}` }));
const keys = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);

function spread(sut: ConsistentHashBalancer, candidates: readonly { id: string }[]): number[] {
  const counts = new Map(candidates.map((c) => [c.id, 0]));
  for (const key of keys) {
    const id = sut.pick(candidates, key)!.id;
    counts.set(id, counts.get(id)! + 1);
  }
  return [...counts.values()];
}

describe(ConsistentHashBalancer.name, () => {
  it('sends the same key to the same instance, whatever the order of the list', () => {
    const candidates = fleet(5);
    const sut = new ConsistentHashBalancer();
    const first = keys.map((key) => sut.pick(candidates, key)!.id);
    const reversed = [...candidates].reverse();
    const other = new ConsistentHashBalancer();
    expect(keys.map((key) => other.pick(reversed, key)!.id)).toEqual(first);
    expect(keys.map((key) => sut.pick(candidates, key)!.id)).toEqual(first);
  });

  it('moves only the keys of a removed instance, about 1/N of them', () => {
    const candidates = fleet(10);
    const sut = new ConsistentHashBalancer();
    const before = keys.map((key) => sut.pick(candidates, key)!.id);
    const removed = candidates[3].id;
    const after = keys.map((key) => sut.pick(candidates.filter((c) => c.id !== removed), key)!.id);
    const moved = keys.map((_, i) => i).filter((i) => before[i] !== after[i]);
    expect(moved.every((i) => before[i] === removed)).toBe(true);
    expect(moved.length).toBe(before.filter((id) => id === removed).length);
    expect(moved.length / keys.length).toBeGreaterThan(0.1 * 0.75);
    expect(moved.length / keys.length).toBeLessThan(0.1 * 1.25);
  });

  it('spreads 10,000 keys over 3 instances within 10% of the fair share', () => {
    const counts = spread(new ConsistentHashBalancer(), fleet(3));
    for (const count of counts) expect(Math.abs(count - 10_000 / 3) / (10_000 / 3)).toBeLessThan(0.1);
  });

  it('spreads evenly over a larger fleet when given more virtual nodes', () => {
    const counts = spread(new ConsistentHashBalancer({ vnodes: 640 }), fleet(10));
    for (const count of counts) expect(Math.abs(count - 1_000) / 1_000).toBeLessThan(0.1);
  });

  it('goes round-robin when the call has no key', () => {
    const candidates = fleet(3);
    const sut = new ConsistentHashBalancer();
    expect([sut.pick(candidates), sut.pick(candidates, ''), sut.pick(candidates)].map((c) => c!.id)).toEqual([
      'catalog-1',
      'catalog-2',
      'catalog-3',
    ]);
  });

  it('rejects a vnode count that is not a positive integer', () => {
    expect(() => new ConsistentHashBalancer({ vnodes: 0 })).toThrow(RangeError);
    expect(() => new ConsistentHashBalancer({ vnodes: 1.5 })).toThrow(RangeError);
  });
});
