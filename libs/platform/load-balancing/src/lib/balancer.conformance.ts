import type { Balanceable, Balancer } from './balancer';

type Candidate = Balanceable & { readonly zone?: string; readonly metadata: Readonly<Record<string, string>> };

const fleet: readonly Candidate[] = ['a', 'b', 'c', 'd'].map((id) => ({ id, zone: 'z1', metadata: {} }));

/**
 * The contract every `Balancer` keeps, run against each strategy: nothing from nothing, only ever a
 * candidate it was given, and no memory of instances that have left the list.
 */
export function describeBalancer(name: string, factory: () => Balancer<Candidate>): void {
  describe(`${name} (Balancer conformance)`, () => {
    it('picks nothing from an empty list, with or without a key', () => {
      const sut = factory();
      expect(sut.pick([])).toBeUndefined();
      expect(sut.pick([], 'user-1')).toBeUndefined();
    });

    it('picks the only candidate of a one-instance list', () => {
      const sut = factory();
      expect(sut.pick([fleet[0]])).toBe(fleet[0]);
      expect(sut.pick([fleet[0]], 'user-1')).toBe(fleet[0]);
    });

    it('only ever returns a candidate from the list it was given, as the list changes', () => {
      const sut = factory();
      const lists = [fleet, fleet.slice(1), [fleet[3], fleet[0]], fleet.slice(0, 3), [...fleet]];
      for (let i = 0; i < 400; i += 1) {
        const list = lists[i % lists.length];
        expect(list).toContain(sut.pick(list, i % 2 === 0 ? `user-${i}` : undefined));
      }
    });

    it('reaches every candidate of a stable list', () => {
      const sut = factory();
      const seen = new Set<string>();
      for (let i = 0; i < 400; i += 1) seen.add(sut.pick(fleet, `user-${i}`)?.id ?? 'none');
      expect([...seen].sort()).toEqual(['a', 'b', 'c', 'd']);
    });
  });
}
