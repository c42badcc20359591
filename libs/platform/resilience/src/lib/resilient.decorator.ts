import type { UpstreamContext } from './policy-for';
import type { UpstreamPolicies } from './upstream.policies';

let active: UpstreamPolicies | undefined;

/**
 * Makes `policies` the ones {@link Resilient} methods run through (the Nest module calls it at boot) and
 * returns a function that withdraws them again, unless others have been installed since.
 */
export function useUpstreamPolicies(policies: UpstreamPolicies): () => void {
  active = policies;
  return () => {
    if (active === policies) active = undefined;
  };
}

/** Per-method choices of {@link Resilient}. */
export interface ResilientOptions {
  /** Whether the call may be repeated safely; only then are retries applied. */
  readonly idempotent?: boolean;
}

/**
 * Runs the decorated method through the policy of `upstream`, as cockatiel's `usePolicy` does: the
 * method gets the policy context (`signal`, `attempt`) as an extra last argument. Retries apply only to
 * methods marked `idempotent`.
 */
export function Resilient(upstream: string, options: ResilientOptions = {}) {
  return (_target: object, _key: string | symbol, descriptor: PropertyDescriptor): void => {
    const method = descriptor.value as (...args: unknown[]) => unknown;
    descriptor.value = async function (this: unknown, ...args: unknown[]) {
      if (!active) throw new Error(`@Resilient("${upstream}") needs ResilienceModule.forRoot() (or useUpstreamPolicies()) first`);
      const policy = active.get(upstream);
      const run = (context: UpstreamContext) => method.apply(this, [...args, context]);
      return options.idempotent ? policy.execute(run) : policy.withoutRetry.execute(run);
    };
  };
}
