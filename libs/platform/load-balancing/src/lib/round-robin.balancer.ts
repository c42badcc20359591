import type { Balanceable, Balancer } from './balancer';

/**
 * Picks candidates in turn. With a stable list, every candidate gets exactly its share; when the list
 * changes, the rotation simply continues over the new one.
 */
export class RoundRobinBalancer<T extends Balanceable = Balanceable> implements Balancer<T> {
  private cursor = 0;

  pick(candidates: readonly T[]): T | undefined {
    if (candidates.length === 0) return undefined;
    const index = this.cursor % candidates.length;
    // Wrap before the counter loses integer precision on a long-lived process.
    this.cursor = (this.cursor + 1) % Number.MAX_SAFE_INTEGER;
    return candidates[index];
  }
}
