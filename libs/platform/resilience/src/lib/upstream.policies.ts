import { policyFor, type UpstreamPolicy, type UpstreamPolicyOptions } from './policy-for';
import type { ResilienceListener } from './resilience-event';

/** The options of {@link UpstreamPolicies}: one policy per upstream, keyed by upstream name. */
export interface UpstreamPoliciesOptions {
  readonly upstreams: Readonly<Record<string, UpstreamPolicyOptions>>;
  /** Receives the events of every upstream's policy, unless an upstream names its own listener. */
  readonly listener?: ResilienceListener;
}

/** Builds one shared {@link UpstreamPolicy} per configured upstream and hands it out by name. */
export class UpstreamPolicies {
  private readonly policies = new Map<string, UpstreamPolicy>();

  constructor(options: UpstreamPoliciesOptions) {
    for (const [upstream, policy] of Object.entries(options.upstreams)) {
      this.policies.set(upstream, policyFor(upstream, { listener: options.listener, ...policy }));
    }
  }

  /** The policy of `upstream`; throws when it was not configured, so a typo fails at the first call. */
  get(upstream: string): UpstreamPolicy {
    const policy = this.policies.get(upstream);
    if (!policy) throw new RangeError(`No resilience policy for upstream "${upstream}"; configured: ${[...this.policies.keys()].join(', ') || 'none'}`);
    return policy;
  }

  /** The configured upstream names. */
  names(): string[] {
    return [...this.policies.keys()];
  }
}
