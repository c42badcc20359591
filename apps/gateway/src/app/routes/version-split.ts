import type { ServiceInstance } from '@nestkit/discovery';
import { hash32 } from '@nestkit/load-balancing';

/** A route's `versions` setting, as validated by the route schema. */
export interface VersionSplitSpec {
  readonly weights: Readonly<Record<string, number>>;
  readonly header: string;
  readonly cookie?: string;
  readonly sticky: boolean;
}

/** The version a request goes to, and whether the client forced it. */
export interface VersionChoice {
  readonly version: string;
  readonly forced: boolean;
  /** Keeps only instances of `version`; one function per version, made once. */
  readonly filter: (instance: ServiceInstance) => boolean;
}

/**
 * Canary, blue-green and A/B releases from instance metadata `version`: a weighted split per route
 * (relative shares, renormalised over the versions that have instances up, so a canary that is down
 * sends nobody to an error), a header or cookie that forces a version (the force wins whenever that
 * version has an instance up), and sticky assignment per user: an authenticated user hashes to the
 * same point of [0, 1) on every request, so they keep their version while the weights stay the same
 * and move only as far as a weight change demands. Anonymous requests are split at random.
 *
 * Blue-green is a split of `{ blue: 100, green: 0 }` flipped to `{ blue: 0, green: 100 }` in the routes
 * file; the reload takes effect without a restart.
 */
export class VersionSplit {
  private readonly versions: readonly string[];
  private readonly shares: readonly number[];
  private readonly filters = new Map<string, (instance: ServiceInstance) => boolean>();

  constructor(
    readonly spec: VersionSplitSpec,
    private readonly salt: string,
  ) {
    this.versions = Object.keys(spec.weights);
    this.shares = this.versions.map((version) => spec.weights[version] ?? 0);
  }

  /**
   * Chooses the version for one request among `instances` (the service's instances that are up).
   * `forcedVersion` is the header's or cookie's value; `user` the authenticated user id. Undefined when no
   * version of the split has an instance up (the caller then routes to any instance).
   */
  choose(instances: readonly ServiceInstance[], forcedVersion: string | undefined, user: string | undefined, random: () => number = Math.random): VersionChoice | undefined {
    if (forcedVersion && instances.some((instance) => instance.version === forcedVersion)) {
      return { version: forcedVersion, forced: true, filter: this.filterOf(forcedVersion) };
    }
    let total = 0;
    const live = this.shares.map((share, index) => {
      const up = share > 0 && instances.some((instance) => instance.version === this.versions[index]);
      if (up) total += share;
      return up ? share : 0;
    });
    if (total === 0) return undefined;
    const point = (this.spec.sticky && user ? unitHash(`${this.salt}\u0000${user}`) : random()) * total;
    let edge = 0;
    for (let index = 0; index < live.length; index += 1) {
      edge += live[index] as number;
      if (point < edge) return this.choice(this.versions[index] as string);
    }
    // Floating-point edge: the point fell on the total; the last version with a share takes it.
    const last = live.findLastIndex((share) => share > 0);
    return this.choice(this.versions[last] as string);
  }

  private choice(version: string): VersionChoice {
    return { version, forced: false, filter: this.filterOf(version) };
  }

  private filterOf(version: string): (instance: ServiceInstance) => boolean {
    let filter = this.filters.get(version);
    if (!filter) {
      filter = (instance) => instance.version === version;
      this.filters.set(version, filter);
    }
    return filter;
  }
}

/** `text` hashed (the load-balancing lib's FNV-1a + murmur3 finaliser) onto [0, 1): stable across processes and restarts. */
export function unitHash(text: string): number {
  return hash32(text) / 0x1_0000_0000;
}
