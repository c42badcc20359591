import { RandomBalancer } from './random.balancer';
import { seededRandom } from './seeded-random';

const candidates = ['a', 'b', 'c', 'd'].map((id) => ({ id }));

describe(RandomBalancer.name, () => {
  it('spreads 10,000 seeded picks evenly, within 5% of the fair share', () => {
    const sut = new RandomBalancer(seededRandom(42));
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i += 1) {
      const id = sut.pick(candidates)!.id;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['a', 'b', 'c', 'd']);
    for (const count of counts.values()) expect(Math.abs(count - 2_500)).toBeLessThan(125);
  });

  it('maps the rng range onto the candidates, including its upper edge', () => {
    const values = [0, 0.25, 0.99, 1];
    const sut = new RandomBalancer(() => values.shift()!);
    expect(Array.from({ length: 4 }, () => sut.pick(candidates)!.id)).toEqual(['a', 'b', 'd', 'd']);
  });

  it('picks nothing from an empty list', () => {
    expect(new RandomBalancer().pick([])).toBeUndefined();
  });
});
