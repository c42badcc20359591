import { RoundRobinBalancer } from './round-robin.balancer';

const candidates = ['a', 'b', 'c', 'd'].map((id) => ({ id }));

describe(RoundRobinBalancer.name, () => {
  it('gives every candidate exactly its share over 10,000 picks', () => {
    const sut = new RoundRobinBalancer();
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i += 1) {
      const id = sut.pick(candidates)!.id;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect(Object.fromEntries(counts)).toEqual({ a: 2_500, b: 2_500, c: 2_500, d: 2_500 });
  });

  it('visits candidates in order', () => {
    const sut = new RoundRobinBalancer();
    expect(Array.from({ length: 6 }, () => sut.pick(candidates)!.id)).toEqual(['a', 'b', 'c', 'd', 'a', 'b']);
  });

  it('keeps rotating when the list shrinks', () => {
    const sut = new RoundRobinBalancer();
    sut.pick(candidates);
    sut.pick(candidates);
    sut.pick(candidates);
    const two = candidates.slice(0, 2);
    expect([sut.pick(two)!.id, sut.pick(two)!.id, sut.pick(two)!.id]).toEqual(['b', 'a', 'b']);
  });

  it('picks nothing from an empty list', () => {
    expect(new RoundRobinBalancer().pick([])).toBeUndefined();
  });
});
