import type { Instancer, ServiceInstance } from '@nestkit/discovery';
import { instanceUrl } from '@nestkit/discovery';
import { isAppError, TimeoutError, UnavailableError } from '@nestkit/errors';
import { type Balancer, NoInstancesError, type OutlierDetector, type PendingTracker } from '@nestkit/load-balancing';
import { type BreakerRegistry, DEADLINE_HEADER, Deadline, hedge, InstanceCircuitOpenError, isCancellation, LatencyTracker, timeout, type UpstreamPolicy } from '@nestkit/resilience';
import { childOf, formatTraceparent, TraceContextStore } from '@nestkit/tracing';
import { endToEndHeaders, type HeaderValues } from './hop-by-hop';
import { HttpResponse } from './http-response';
import { RETRYABLE_STATUSES, UpstreamStatusError } from './upstream-status.error';

/** What an {@link HttpClient} calls and how. */
export interface HttpClientOptions {
  /** The logical service name, as registered in discovery. */
  readonly service: string;
  readonly instancer: Instancer;
  readonly balancer: Balancer<ServiceInstance>;
  /** Budget of one call in milliseconds; a caller deadline can only shorten it. */
  readonly timeoutMs: number;
  /** Sent with every request; request headers win on conflict. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Passive health: instances it ejected are not picked, and every outcome is reported to it (a 5xx,
   * a timeout or an unreachable instance is a failure; any other answer, 4xx included, a success).
   */
  readonly outliers?: OutlierDetector;
  /** Counts calls in flight per instance, for least-pending and power-of-two-choices balancers. */
  readonly pending?: PendingTracker;
  /**
   * Bulkhead, circuit breaker, retry and per-attempt timeout for this upstream (`policyFor`). Retries
   * apply only to idempotent calls (GET, HEAD, OPTIONS, PUT, DELETE, or any call with an
   * `Idempotency-Key`), each attempt on a different instance when there is one; others get the same
   * policy without retry. Without it, a call is one attempt bounded by `timeoutMs`.
   */
  readonly policy?: UpstreamPolicy;
  /**
   * A circuit breaker per instance (e.g. `new BreakerRegistry(RECOMMENDED_INSTANCE_BREAKER)`): every attempt
   * goes through its instance's breaker, where a 5xx, a timeout or an unreachable instance counts as a
   * fault, and instances whose breaker is open are not picked while another one is available. Catches
   * an instance failing a share of its calls, which consecutive-failure ejection misses.
   */
  readonly instanceBreakers?: BreakerRegistry;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** One call to the service. */
export interface HttpRequest {
  /** Defaults to `GET`. */
  readonly method?: string;
  /** Path and query, starting with `/`. */
  readonly path: string;
  /** Hop-by-hop headers are dropped, so incoming request headers can be passed straight through. */
  readonly headers?: HeaderValues;
  readonly body?: Buffer | Uint8Array | string;
  /** Cancels the call, e.g. when the client of the gateway goes away. */
  readonly signal?: AbortSignal;
  /** The caller's own deadline; the call uses the earlier of it and `timeoutMs`. */
  readonly deadline?: Deadline;
  /** Affinity key passed to the balancer. */
  readonly key?: string;
  /**
   * For idempotent reads only: if the first attempt has not answered after the recent p95 latency of
   * this upstream (or `hedgeAfterMs` before there is one), send a second one to another instance; the
   * first answer wins and the other is aborted.
   */
  readonly hedge?: boolean;
}

/** Wait before a hedged attempt while no latency has been measured yet. */
const DEFAULT_HEDGE_AFTER_MS = 100;

/**
 * Calls one logical service over HTTP: picks a healthy instance (instancer + balancer), bounds the call
 * by the earlier of its timeout and the caller's deadline, forwards the remaining budget in
 * `x-request-deadline` and the caller's trace as a child span in `traceparent`, and maps transport
 * failures to platform errors. HTTP error statuses are
 * returned, not thrown, and redirects are never followed, so a gateway can relay responses as they are.
 */
export class HttpClient {
  private readonly latency = new LatencyTracker();

  constructor(private readonly options: HttpClientOptions) {}

  /**
   * Sends `request` to one instance and returns the whole response. Rejects with `NoInstancesError`
   * when none is up, `TimeoutError` (`upstream-timeout`) when the budget runs out,
   * `UnavailableError` (`upstream-unavailable`) when the instance cannot be reached, and the signal's
   * reason when the caller cancels.
   */
  async request(request: HttpRequest): Promise<HttpResponse> {
    const { service } = this.options;
    const now = Date.now();
    const deadline = Deadline.min(request.deadline, this.options.timeoutMs, now);
    const budgetMs = deadline.remaining(now);
    if (budgetMs === 0) {
      throw new TimeoutError(`Deadline for a call to "${service}" expired before it was sent`, 'upstream-timeout');
    }
    const init = this.requestInit(request);
    const tried = new Set<string>();
    const hedged = request.hedge === true && IDEMPOTENT_METHODS.has(init.method as string);
    const once = (signal: AbortSignal) => this.attempt(request, init, deadline, signal, tried);
    const attempt = hedged
      ? (signal: AbortSignal) => hedge((context) => once(context.signal), { delayMs: this.latency.p95() ?? DEFAULT_HEDGE_AFTER_MS, signal, upstream: service })
      : once;
    const policy = this.options.policy;
    if (!policy) {
      return this.single(() => timeout(service, budgetMs).execute(({ signal }) => attempt(signal), request.signal), budgetMs, request.signal, tried);
    }
    // The overall deadline bounds every attempt and backoff; the policy's own timeout bounds each attempt.
    const overall = AbortSignal.any([AbortSignal.timeout(budgetMs), ...(request.signal ? [request.signal] : [])]);
    const idempotent = IDEMPOTENT_METHODS.has(init.method as string) || new Headers(init.headers).has('idempotency-key');
    const guarded = idempotent ? policy : policy.withoutRetry;
    try {
      return await guarded.execute(({ signal }) => attempt(signal), overall);
    } catch (error) {
      if (error instanceof UpstreamStatusError) return error.response;
      if (request.signal?.aborted) throw request.signal.reason;
      if (overall.aborted) throw new TimeoutError(`Calls to "${service}" did not succeed within ${budgetMs} ms`, 'upstream-timeout', error);
      throw isAppError(error) ? error : new UnavailableError(`Calls to "${service}" failed`, 'upstream-unavailable', error);
    }
  }

  private async single(call: () => Promise<HttpResponse>, budgetMs: number, signal: AbortSignal | undefined, tried: ReadonlySet<string>): Promise<HttpResponse> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof UpstreamStatusError) return error.response;
      if (signal?.aborted) throw signal.reason;
      if (error instanceof TimeoutError) {
        const instance = [...tried].pop();
        throw new TimeoutError(`Upstream "${this.options.service}" instance "${instance}" did not answer within ${budgetMs} ms`, 'upstream-timeout', error);
      }
      throw error;
    }
  }

  /** One try: a fresh instance (not one this call already tried, when another is up), sent and reported. */
  private async attempt(request: HttpRequest, init: RequestInit, deadline: Deadline, signal: AbortSignal, tried: Set<string>): Promise<HttpResponse> {
    const instance = this.pick(request.key, tried);
    tried.add(instance.id);
    const release = this.options.pending?.start(instance.id);
    const started = performance.now();
    try {
      const response = await this.sendGuarded(instance, request.path, init, deadline, signal);
      this.report(instance, response.status < 500);
      if (response.status < 500) this.latency.record(performance.now() - started);
      if (RETRYABLE_STATUSES.has(response.status)) throw new UpstreamStatusError(response);
      return response;
    } catch (error) {
      if (error instanceof UpstreamStatusError) throw error;
      // A caller that gave up, or a hedged attempt that lost the race, says nothing about the instance.
      const cancelled = request.signal?.aborted === true || (signal.aborted && isCancellation(signal.reason));
      // Nor does a refusal by the instance's own breaker: the instance was not called.
      if (!cancelled && !(error instanceof InstanceCircuitOpenError)) this.report(instance, false);
      throw this.failure(error, instance, request.signal);
    } finally {
      release?.();
    }
  }

  private pick(key: string | undefined, tried: ReadonlySet<string>): ServiceInstance {
    const { service, outliers, instanceBreakers } = this.options;
    const discovered = this.options.instancer.instances(service);
    const closed = instanceBreakers ? discovered.filter((instance) => !instanceBreakers.isOpen(instance.id)) : discovered;
    // With every breaker open, try anyway: the breaker fails the call fast or lets a probe through.
    const up = closed.length > 0 ? closed : discovered;
    const healthy = outliers ? outliers.filter(up) : up;
    const untried = healthy.filter((instance) => !tried.has(instance.id));
    const instance = this.options.balancer.pick(untried.length > 0 ? untried : healthy, key);
    if (!instance) throw new NoInstancesError(service);
    return instance;
  }

  private report(instance: ServiceInstance, ok: boolean): void {
    if (ok) this.options.outliers?.recordSuccess(instance.id);
    else this.options.outliers?.recordFailure(instance.id);
  }

  private requestInit(request: HttpRequest): RequestInit {
    const method = (request.method ?? 'GET').toUpperCase();
    if (!request.path.startsWith('/')) throw new TypeError(`Request path must start with "/": ${request.path}`);
    if (request.body !== undefined && (method === 'GET' || method === 'HEAD')) throw new TypeError(`${method} requests cannot have a body`);
    // Built here, outside the failure mapping, so a malformed header is a programming error, not an outage.
    const headers = new Headers({ ...this.options.headers, ...endToEndHeaders(request.headers ?? {}) });
    // fetch decompresses bodies but keeps content-encoding, which would corrupt a relayed response.
    headers.set('accept-encoding', 'identity');
    return { method, headers, body: request.body as RequestInit['body'], redirect: 'manual' };
  }

  /** {@link send} through the instance's breaker, when there are per-instance breakers. */
  private async sendGuarded(instance: ServiceInstance, path: string, init: RequestInit, deadline: Deadline, signal: AbortSignal): Promise<HttpResponse> {
    const breaker = this.options.instanceBreakers?.get(instance.id);
    if (!breaker) return this.send(instance, path, init, deadline, signal);
    try {
      return await breaker.execute(async () => {
        const response = await this.send(instance, path, init, deadline, signal);
        if (response.status >= 500) throw new ServerErrorAnswer(response);
        return response;
      }, signal);
    } catch (error) {
      if (error instanceof ServerErrorAnswer) return error.response;
      throw error;
    }
  }

  private async send(instance: ServiceInstance, path: string, init: RequestInit, deadline: Deadline, signal: AbortSignal): Promise<HttpResponse> {
    const headers = new Headers(init.headers);
    headers.set(DEADLINE_HEADER, deadline.toHeader());
    // Each attempt is a child span of the caller's trace, so the trace crosses every hop on its own.
    const trace = TraceContextStore.current();
    if (trace && !headers.has('traceparent')) headers.set('traceparent', formatTraceparent(childOf(trace)));
    const response = await fetch(`${instanceUrl(instance)}${path}`, { ...init, headers, signal });
    const body = Buffer.from(await response.arrayBuffer());
    const setCookies = response.headers.getSetCookie();
    const relayed = endToEndHeaders(Object.fromEntries([...response.headers].filter(([name]) => name !== 'set-cookie')));
    return new HttpResponse(response.status, relayed, body, instance.id, setCookies);
  }

  private failure(error: unknown, instance: ServiceInstance, signal: AbortSignal | undefined): unknown {
    const target = `"${this.options.service}" instance "${instance.id}"`;
    if (signal?.aborted) return signal.reason;
    if (error instanceof TimeoutError) return new TimeoutError(`Upstream ${target} did not answer in time`, 'upstream-timeout', error);
    if (isAppError(error)) return error;
    const reason = causeCode(error);
    return new UnavailableError(`Upstream ${target} at ${instanceUrl(instance)} could not be reached${reason ? ` (${reason})` : ''}`, 'upstream-unavailable', error);
  }
}

/** Carries a 5xx answer through an instance breaker as a fault, to be returned as the answer afterwards. */
class ServerErrorAnswer extends Error {
  constructor(readonly response: HttpResponse) {
    super(`Instance "${response.instanceId}" answered ${response.status}`);
  }
}

/** The system error code (`ECONNREFUSED`) undici buries in `cause`, when there is one. */
function causeCode(error: unknown): string | undefined {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}
