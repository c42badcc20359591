import { WeightedBalancer, metadataWeight } from './weighted.balancer';

const instance = (id: string, weight?: string) => ({ id, metadata: weight === undefined ? {} : { weight } });

function countPicks<T extends { id: string }>(pick: () => T | undefined, times: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < times; i += 1) {
    const id = pick()!.id;
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

describe(WeightedBalancer.name, () => {
  it('gives each candidate exactly its weight share of 10,000 picks', () => {
    const sut = new WeightedBalancer();
    const candidates = [instance('a', '5'), instance('b', '3'), instance('c', '2')];
    expect(countPicks(() => sut.pick(candidates), 10_000)).toEqual({ a: 5_000, b: 3_000, c: 2_000 });
  });

  it('stays within 2% of uneven weights that do not divide the number of picks', () => {
    const sut = new WeightedBalancer();
    const candidates = [instance('a', '7'), instance('b', '2.5'), instance('c', '0.5')];
    const counts = countPicks(() => sut.pick(candidates), 10_000);
    expect(Math.abs(counts['a'] - 7_000)).toBeLessThanOrEqual(1);
    expect(Math.abs(counts['b'] - 2_500)).toBeLessThanOrEqual(1);
    expect(Math.abs(counts['c'] - 500)).toBeLessThanOrEqual(1);
  });

  it('interleaves picks smoothly, as nginx does', () => {
    const sut = new WeightedBalancer();
    const candidates = [instance('a', '5'), instance('b', '1'), instance('c', '1')];
    expect(Array.from({ length: 7 }, () => sut.pick(candidates)!.id).join(' ')).toBe('a a b a c a a');
  });

  it('reads weights through the function it is given', () => {
    const sut = new WeightedBalancer<{ id: string; capacity: number }>((candidate) => candidate.capacity);
    const candidates = [
      { id: 'big', capacity: 3 },
      { id: 'small', capacity: 1 },
    ];
    expect(countPicks(() => sut.pick(candidates), 400)).toEqual({ big: 300, small: 100 });
  });

  it('keeps exact long-run shares after an instance leaves mid-cycle', () => {
    const sut = new WeightedBalancer();
    const [a, b, c] = [instance('a', '5'), instance('b', '1'), instance('c', '1')];
    expect(Array.from({ length: 3 }, () => sut.pick([a, b, c])!.id)).toEqual(['a', 'a', 'b']);
    const counts = countPicks(() => sut.pick([a, b]), 6_000);
    expect(Math.abs(counts['a'] - 5_000)).toBeLessThanOrEqual(1);
    expect(Math.abs(counts['b'] - 1_000)).toBeLessThanOrEqual(1);
  });
});

describe(metadataWeight.name, () => {
  it.each([
    ['4', 4],
    ['0.5', 0.5],
    [undefined, 1],
    ['', 1],
    ['0', 1],
    ['-2', 1],
    ['heavy', 1],
    ['Infinity', 1],
  ])('reads weight %j as %d', (weight, expected) => {
    expect(metadataWeight(instance('a', weight))).toBe(expected);
  });

  it('counts a candidate without metadata as weight 1', () => {
    expect(metadataWeight({ id: 'a' })).toBe(1);
  });
});
