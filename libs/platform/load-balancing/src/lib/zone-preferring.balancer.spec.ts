import type { Balancer } from './balancer';
import { RoundRobinBalancer } from './round-robin.balancer';
import { ZonePreferringBalancer, type Zoned } from './zone-preferring.balancer';

const a1 = { id: 'a1', zone: 'eu-1a' };
const a2 = { id: 'a2', zone: 'eu-1a' };
const b1 = { id: 'b1', zone: 'eu-1b' };
const bare = { id: 'bare' };

/** Records what the inner balancer was handed, then picks the first candidate. */
class RecordingBalancer implements Balancer<Zoned> {
  readonly lists: Array<readonly Zoned[]> = [];
  readonly keys: Array<string | undefined> = [];

  pick(candidates: readonly Zoned[], key?: string): Zoned | undefined {
    this.lists.push(candidates);
    this.keys.push(key);
    return candidates[0];
  }
}

describe(ZonePreferringBalancer.name, () => {
  it('balances over the local zone only, when it has candidates', () => {
    const sut = new ZonePreferringBalancer('eu-1a', new RoundRobinBalancer<Zoned>());
    const picks = Array.from({ length: 4 }, () => sut.pick([b1, a1, bare, a2])!.id);
    expect(picks).toEqual(['a1', 'a2', 'a1', 'a2']);
  });

  it('falls back to every candidate when none is local', () => {
    const inner = new RecordingBalancer();
    const sut = new ZonePreferringBalancer('eu-1c', inner);
    sut.pick([b1, bare]);
    expect(inner.lists).toEqual([[b1, bare]]);
  });

  it('passes every candidate through when it has no local zone', () => {
    const inner = new RecordingBalancer();
    const sut = new ZonePreferringBalancer(undefined, inner);
    sut.pick([a1, b1]);
    expect(inner.lists).toEqual([[a1, b1]]);
  });

  it('hands the key on, and the same filtered list for the same candidates', () => {
    const inner = new RecordingBalancer();
    const sut = new ZonePreferringBalancer('eu-1a', inner);
    const candidates = [a1, b1, a2];
    sut.pick(candidates, 'user-1');
    sut.pick(candidates, 'user-2');
    expect(inner.keys).toEqual(['user-1', 'user-2']);
    expect(inner.lists[0]).toEqual([a1, a2]);
    expect(inner.lists[1]).toBe(inner.lists[0]);
  });
});
