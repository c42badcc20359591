import type { Instancer, ServiceInstance } from '@nestkit/discovery';
import { type Balancer, OutlierDetector, RoundRobinBalancer } from '@nestkit/load-balancing';
import {
  CircuitBreakerRegistry,
  RECOMMENDED_INSTANCE_BREAKER,
  type ResilienceConfig,
  type ResilienceListener,
  upstreamPolicyOptions,
} from '@nestkit/resilience';
import { meteredListener } from './client-metrics';
import { HttpClient } from './http-client';

/** What {@link resilientHttpClient} needs: the upstream, where its instances are, and the caller's config. */
export interface ResilientHttpClientOptions {
  readonly service: string;
  readonly instancer: Instancer;
  /** The whole budget of a call to this upstream; the per-attempt timeout never exceeds it. */
  readonly timeoutMs: number;
  /** The caller's parsed config, for the upstream's `UPSTREAM_POLICIES` entry. */
  readonly config: ResilienceConfig;
  /** Default round robin. */
  readonly balancer?: Balancer<ServiceInstance>;
  /** Receives the policy's events (retries, breaker transitions, rejections), e.g. for metrics. */
  readonly listener?: ResilienceListener;
  readonly headers?: Readonly<Record<string, string>>;
  /** Keep-alive connections per instance; default 128. */
  readonly connections?: number;
}

/**
 * The recommended way to call another service: an {@link HttpClient} with passive health (an
 * {@link OutlierDetector} that also skips instances whose own breaker is open), a breaker per instance,
 * and the upstream's policy (bulkhead, optional adaptive limit, breaker, retry, timeout) from
 * `UPSTREAM_POLICIES` over the recommended defaults. Create one per upstream and keep it: the policy's
 * state and the connection pools are shared by every call.
 */
export function resilientHttpClient(options: ResilientHttpClientOptions): HttpClient {
  const { service, config, timeoutMs, listener } = options;
  // Instance breakers' transitions are counted too (nestkit_circuit_breaker_transitions_total{breaker=<instance id>}).
  const instanceBreakers = new CircuitBreakerRegistry({ ...RECOMMENDED_INSTANCE_BREAKER, listener: meteredListener(listener) });
  return new HttpClient({
    service,
    instancer: options.instancer,
    balancer: options.balancer ?? new RoundRobinBalancer(),
    outliers: new OutlierDetector({ isOpen: (id) => instanceBreakers.isOpen(id) }),
    instanceBreakers,
    timeoutMs,
    headers: options.headers,
    connections: options.connections,
    policy: { ...upstreamPolicyOptions(service, config, timeoutMs), listener },
  });
}
