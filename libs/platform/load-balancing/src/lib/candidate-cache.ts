/**
 * Remembers a value derived from a candidate list (a hash ring, a weight table) and rebuilds it only
 * when the list changes. Instancers hand out the same frozen array until the service changes, so the
 * reference check answers almost every call; a new array holding the same instances in the same
 * order (a filter that removed nothing) is recognised element by element and costs no rebuild.
 */
export class CandidateCache<T, V> {
  private candidates: readonly T[] | undefined;
  private value: V | undefined;

  constructor(private readonly build: (candidates: readonly T[], previous: V | undefined) => V) {}

  get(candidates: readonly T[]): V {
    if (this.value === undefined || !this.matches(candidates)) {
      this.value = this.build(candidates, this.value);
    }
    this.candidates = candidates;
    return this.value;
  }

  private matches(candidates: readonly T[]): boolean {
    const previous = this.candidates;
    if (previous === candidates) return true;
    if (previous === undefined || previous.length !== candidates.length) return false;
    for (let i = 0; i < candidates.length; i += 1) if (previous[i] !== candidates[i]) return false;
    return true;
  }
}
