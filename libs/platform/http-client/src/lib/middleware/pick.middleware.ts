import type { Instancer, ServiceInstance } from '@nestkit/discovery';
import { type Balancer, NoInstancesError, type OutlierDetector, type PendingTracker } from '@nestkit/load-balancing';
import { type CircuitBreakerRegistry, InstanceCircuitOpenError, type LatencyTracker } from '@nestkit/resilience';
import type { Middleware } from './endpoint';
import type { Exchange } from './exchange';

/** Where {@link pick} finds instances and how it chooses. */
export interface PickOptions {
  readonly service: string;
  readonly instancer: Instancer;
  readonly balancer: Balancer<ServiceInstance>;
  readonly outliers?: OutlierDetector;
  readonly instanceBreakers?: CircuitBreakerRegistry;
}

/**
 * Chooses the attempt's instance (Go kit's `lb`): the `up` instances of the service, narrowed by the
 * call's `filter` (none left: `NoInstancesError`), then without those whose breaker is open or that the
 * outlier detector ejected (unless that leaves none), then preferring one this call has not tried yet,
 * and finally the call's balancer, or the client's, with the call's affinity key.
 */
export function pick(options: PickOptions): Middleware {
  const breakers = options.instanceBreakers;
  const closed = (instance: ServiceInstance) => !breakers?.isOpen(instance.id);
  const choose = (exchange: Exchange): ServiceInstance => {
    let candidates = options.instancer.instances(options.service);
    const filter = exchange.call.filter;
    if (filter) candidates = candidates.filter(filter);
    if (candidates.length === 0) throw new NoInstancesError(options.service);
    // With every breaker open, try anyway: the breaker fails the call fast or lets a probe through.
    if (breakers && !candidates.every(closed)) {
      const up = candidates.filter(closed);
      if (up.length > 0) candidates = up;
    }
    if (options.outliers) candidates = options.outliers.filter(candidates);
    if (exchange.tried.length > 0) {
      const untried = candidates.filter((instance) => !exchange.tried.some((tried) => tried.id === instance.id));
      if (untried.length > 0) candidates = untried;
    }
    const instance = (exchange.call.balancer ?? options.balancer).pick(candidates, exchange.call.key);
    if (!instance) throw new NoInstancesError(options.service);
    return instance;
  };
  return (next) => (attempt) => {
    const instance = choose(attempt.exchange);
    attempt.instance = instance;
    attempt.exchange.tried.push(instance);
    return next(attempt);
  };
}

/** What {@link report} tells about each attempt. */
export interface ReportOptions {
  readonly outliers?: OutlierDetector;
  readonly pending?: PendingTracker;
  readonly latency: LatencyTracker;
}

/**
 * Reports each attempt's outcome for its instance: to the outlier detector (a 5xx or a fault is a
 * failure, any other answer a success; a cancelled attempt neither), to the pending tracker (in flight
 * until the answer's headers), and its latency, for the hedge delay.
 */
export function report(options: ReportOptions): Middleware {
  const { outliers, pending, latency } = options;
  return (next) => async (attempt) => {
    const id = attempt.instance?.id ?? '';
    const release = pending?.start(id);
    const started = performance.now();
    try {
      const answer = await next(attempt);
      if (answer.status >= 500) outliers?.recordFailure(id);
      else {
        outliers?.recordSuccess(id);
        latency.record(performance.now() - started);
      }
      return answer;
    } catch (error) {
      if (!attempt.cancelled && !(error instanceof InstanceCircuitOpenError)) outliers?.recordFailure(id);
      throw error;
    } finally {
      release?.();
    }
  };
}
