import type { Instancer } from '@nestkit/discovery';
import type { OutlierDetector } from '@nestkit/load-balancing';
import { platformMetrics } from '@nestkit/metrics';
import type { AdaptiveLimiter, BreakerState, CircuitBreaker, CircuitBreakerRegistry, PermitBulkhead, ResilienceEvent, ResilienceListener } from '@nestkit/resilience';

/** What a live client exposes to the gauges, read at scrape time. */
export interface MeteredClient {
  readonly service: string;
  readonly instancer: Instancer;
  readonly breaker?: CircuitBreaker;
  readonly instanceBreakers?: CircuitBreakerRegistry;
  readonly bulkhead?: PermitBulkhead;
  readonly limiter?: AdaptiveLimiter;
  readonly outliers?: OutlierDetector;
}

const BREAKER_STATE: Record<BreakerState, number> = { closed: 0, open: 1, 'half-open': 2 };

const clients = new Set<MeteredClient>();
let listener: ResilienceListener | undefined;

/**
 * Adds `client` to the gauges read at every scrape (breaker state per upstream and per instance,
 * bulkhead and adaptive-limit occupancy, instances in discovery, ejected instances); returns the function
 * that removes it (on `close`).
 */
export function meterClient(client: MeteredClient): () => void {
  registerGauges();
  clients.add(client);
  return () => clients.delete(client);
}

/**
 * A listener counting every resilience event (retries, budget exhaustion, breaker transitions,
 * bulkhead and limit rejections, attempt timeouts, hedges), then passing it on to `next`.
 */
export function meteredListener(next?: ResilienceListener): ResilienceListener {
  const counting = (listener ??= countingListener());
  if (!next) return counting;
  return {
    onEvent(event) {
      counting.onEvent(event);
      next.onEvent(event);
    },
  };
}

function countingListener(): ResilienceListener {
  const counter = (name: string, help: string, labelNames: string[] = ['upstream']) => platformMetrics.counter({ name, help, labelNames });
  const retries = counter('nestkit_retries_total', 'Retried attempts, by upstream.');
  const exhausted = counter('nestkit_retry_budget_exhausted_total', 'Retries refused because the retry budget was spent, by upstream.');
  const transitions = counter('nestkit_circuit_breaker_transitions_total', 'Breaker state changes, by breaker (an upstream, or an instance id) and new state.', ['breaker', 'to']);
  const bulkhead = counter('nestkit_bulkhead_rejected_total', 'Calls refused by a full bulkhead, by upstream.');
  const limit = counter('nestkit_adaptive_limit_rejected_total', 'Calls refused by the adaptive concurrency limit, by upstream.');
  const timeouts = counter('nestkit_attempt_timeouts_total', 'Attempts cut off by their per-attempt timeout, by upstream.');
  const hedges = counter('nestkit_hedges_total', 'Hedged attempts sent, by upstream.');
  const won = counter('nestkit_hedges_won_total', 'Hedged attempts whose answer was used, by upstream.');
  const fallbacks = counter('nestkit_fallbacks_total', 'Fallback answers served, by upstream.');
  const count: { [K in ResilienceEvent['kind']]: (event: Extract<ResilienceEvent, { kind: K }>) => void } = {
    retry: (e) => retries.inc({ upstream: e.upstream }),
    'retry-budget-exhausted': (e) => exhausted.inc({ upstream: e.upstream }),
    'breaker-open': (e) => transitions.inc({ breaker: e.upstream, to: 'open' }),
    'breaker-half-open': (e) => transitions.inc({ breaker: e.upstream, to: 'half-open' }),
    'breaker-closed': (e) => transitions.inc({ breaker: e.upstream, to: 'closed' }),
    'bulkhead-rejected': (e) => bulkhead.inc({ upstream: e.upstream }),
    'limit-rejected': (e) => limit.inc({ upstream: e.upstream }),
    timeout: (e) => timeouts.inc({ upstream: e.upstream }),
    hedge: (e) => hedges.inc({ upstream: e.upstream }),
    'hedge-won': (e) => won.inc({ upstream: e.upstream }),
    fallback: (e) => fallbacks.inc({ upstream: e.upstream }),
  };
  return { onEvent: (event) => (count[event.kind] as (e: ResilienceEvent) => void)(event) };
}

let gaugesRegistered = false;

function registerGauges(): void {
  if (gaugesRegistered) return;
  gaugesRegistered = true;
  platformMetrics.gauge({
    name: 'nestkit_circuit_breaker_state',
    help: 'Breaker state: 0 closed, 1 open, 2 half-open; scope upstream (instance "") or instance.',
    labelNames: ['upstream', 'instance', 'scope'],
    collect() {
      this.reset();
      for (const client of clients) {
        if (client.breaker) this.set({ upstream: client.service, instance: '', scope: 'upstream' }, BREAKER_STATE[client.breaker.state]);
        for (const [id, state] of client.instanceBreakers?.states() ?? []) this.set({ upstream: client.service, instance: id, scope: 'instance' }, BREAKER_STATE[state]);
      }
    },
  });
  platformMetrics.gauge({
    name: 'nestkit_bulkhead_in_flight',
    help: 'Calls holding a bulkhead slot, by upstream.',
    labelNames: ['upstream'],
    collect() {
      this.reset();
      for (const client of clients) if (client.bulkhead) this.set({ upstream: client.service }, client.bulkhead.inFlight);
    },
  });
  platformMetrics.gauge({
    name: 'nestkit_bulkhead_queued',
    help: 'Calls waiting for a bulkhead slot, by upstream.',
    labelNames: ['upstream'],
    collect() {
      this.reset();
      for (const client of clients) if (client.bulkhead) this.set({ upstream: client.service }, client.bulkhead.queued);
    },
  });
  platformMetrics.gauge({
    name: 'nestkit_adaptive_limit',
    help: 'The adaptive concurrency limit now, by upstream.',
    labelNames: ['upstream'],
    collect() {
      this.reset();
      for (const client of clients) if (client.limiter) this.set({ upstream: client.service }, client.limiter.limit);
    },
  });
  platformMetrics.gauge({
    name: 'nestkit_adaptive_limit_in_flight',
    help: 'Calls admitted by the adaptive limit and not finished, by upstream.',
    labelNames: ['upstream'],
    collect() {
      this.reset();
      for (const client of clients) if (client.limiter) this.set({ upstream: client.service }, client.limiter.inFlight);
    },
  });
  platformMetrics.gauge({
    name: 'nestkit_registry_instances',
    help: 'Instances of a service that discovery lists as up, as this process sees them.',
    labelNames: ['service'],
    collect() {
      this.reset();
      for (const client of clients) this.set({ service: client.service }, client.instancer.instances(client.service).length);
    },
  });
  platformMetrics.gauge({
    name: 'nestkit_outlier_ejected_instances',
    help: 'Instances left out by passive health checking now, by upstream.',
    labelNames: ['upstream'],
    collect() {
      this.reset();
      for (const client of clients) if (client.outliers) this.set({ upstream: client.service }, client.outliers.ejected().length);
    },
  });
}
