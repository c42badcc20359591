import type { Balanceable, Balancer } from './balancer';
import { CandidateCache } from './candidate-cache';

/** Reads a candidate's weight; anything but a finite positive number counts as 1. */
export type WeightOf<T> = (candidate: T) => number;

interface Wheel<T> {
  readonly candidates: readonly T[];
  readonly weights: Float64Array;
  readonly current: Float64Array;
  readonly total: number;
}

/**
 * Reads `metadata.weight` (as registered in discovery) as a positive number; a missing or malformed
 * value (not a number, zero, negative, infinite) counts as 1.
 */
export function metadataWeight(candidate: Balanceable): number {
  const metadata = (candidate as { readonly metadata?: Readonly<Record<string, string>> }).metadata;
  return sanitize(Number(metadata?.weight ?? 1));
}

/**
 * Picks candidates in proportion to their weights with nginx's smooth weighted round-robin: over
 * every cycle of `sum(weights)` picks each candidate gets exactly its weight, interleaved rather
 * than in bursts (weights 5, 1, 1 give `a a b a c a a`).
 */
export class WeightedBalancer<T extends Balanceable = Balanceable> implements Balancer<T> {
  private readonly wheel: CandidateCache<T, Wheel<T>>;

  constructor(weightOf: WeightOf<T> = metadataWeight) {
    this.wheel = new CandidateCache((candidates, previous) => buildWheel(candidates, weightOf, previous));
  }

  pick(candidates: readonly T[]): T | undefined {
    if (candidates.length === 0) return undefined;
    const { weights, current, total } = this.wheel.get(candidates);
    let best = 0;
    for (let i = 0; i < weights.length; i += 1) {
      current[i] += weights[i];
      if (current[i] > current[best]) best = i;
    }
    current[best] -= total;
    return candidates[best];
  }
}

function buildWheel<T extends Balanceable>(
  candidates: readonly T[],
  weightOf: WeightOf<T>,
  previous: Wheel<T> | undefined,
): Wheel<T> {
  const weights = Float64Array.from(candidates, (candidate) => sanitize(weightOf(candidate)));
  const current = new Float64Array(candidates.length);
  // Instances that stay keep their place in the cycle, so a change elsewhere in the list does not
  // send a burst to the heaviest one.
  const carried = new Map<string, number>();
  previous?.candidates.forEach((candidate, i) => carried.set(candidate.id, previous.current[i]));
  candidates.forEach((candidate, i) => (current[i] = carried.get(candidate.id) ?? 0));
  return { candidates, weights, current, total: weights.reduce((sum, weight) => sum + weight, 0) };
}

function sanitize(weight: number): number {
  return Number.isFinite(weight) && weight > 0 ? weight : 1;
}
