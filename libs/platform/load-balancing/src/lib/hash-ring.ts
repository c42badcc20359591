import type { Balanceable } from './balancer';
import { hash32 } from './hash32';

// Ring points and owner ranks are packed into one float (point * 2^20 + rank) so a typed-array sort
// orders them; 2^32 * 2^20 stays below 2^53, the limit of exact integers in a double.
const RANK_SPAN = 1_048_576;

/**
 * A consistent-hash ring: each candidate owns `vnodes` points, and a key belongs to the first point
 * at or after its hash. Points are placed by id alone, and equal points are ordered by id, so the
 * ring is the same whatever order the candidates arrive in.
 */
export class HashRing<T extends Balanceable> {
  private readonly points: Uint32Array;
  private readonly owners: Uint32Array;

  constructor(
    private readonly candidates: readonly T[],
    vnodes: number,
  ) {
    if (candidates.length > RANK_SPAN) throw new RangeError(`A hash ring holds at most ${RANK_SPAN} instances`);
    const byId = candidates.map((_, index) => index).sort((a, b) => compare(candidates[a].id, candidates[b].id));
    const packed = new Float64Array(byId.length * vnodes);
    byId.forEach((candidate, rank) => {
      const id = candidates[candidate].id;
      for (let v = 0; v < vnodes; v += 1) packed[rank * vnodes + v] = hash32(`${id}#${v}`) * RANK_SPAN + rank;
    });
    packed.sort();
    this.points = new Uint32Array(packed.length);
    this.owners = new Uint32Array(packed.length);
    for (let i = 0; i < packed.length; i += 1) {
      const rank = packed[i] % RANK_SPAN;
      this.points[i] = (packed[i] - rank) / RANK_SPAN;
      this.owners[i] = byId[rank];
    }
  }

  /** Returns the candidate owning `key`, or `undefined` on an empty ring. */
  owner(key: string): T | undefined {
    const { points } = this;
    if (points.length === 0) return undefined;
    const hash = hash32(key);
    let low = 0;
    let high = points.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (points[mid] < hash) low = mid + 1;
      else high = mid;
    }
    // Past the last point the ring wraps round to the first.
    return this.candidates[this.owners[low === points.length ? 0 : low]];
  }
}

function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
