import type { Readable } from 'node:stream';
import type { Instancer, ServiceInstance } from '@nestkit/discovery';
import { TimeoutError, UnavailableError } from '@nestkit/errors';
import type { Balancer, OutlierDetector, PendingTracker } from '@nestkit/load-balancing';
import {
  AdaptiveLimiter,
  CircuitBreaker,
  type CircuitBreakerRegistry,
  type Deadline,
  LatencyTracker,
  PermitBulkhead,
  type ResilienceListener,
  RetryBudget,
  type UpstreamPolicyOptions,
} from '@nestkit/resilience';
import type { HeaderValues } from './hop-by-hop';
import { meterClient, meteredListener } from './client-metrics';
import { HttpResponse } from './http-response';
import { adaptiveLimit, bulkhead } from './middleware/admission.middleware';
import { attemptTimeout } from './middleware/attempt-timeout.middleware';
import { instanceBreaker, upstreamBreaker } from './middleware/breaker.middleware';
import { deadline } from './middleware/deadline.middleware';
import { chain, type Endpoint } from './middleware/endpoint';
import { Attempt, Exchange, type ExchangeDefaults } from './middleware/exchange';
import { hedge } from './middleware/hedge.middleware';
import { pick, report } from './middleware/pick.middleware';
import { PoolTransport } from './middleware/pool.transport';
import { retry } from './middleware/retry.middleware';
import { traceAttempt, traceCall } from './middleware/telemetry.middleware';
import type { UpstreamAnswer, UpstreamCall } from './upstream-call';

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
  /** Passive health: ejected instances are not picked; a 5xx or a fault is a failure, any other answer a success. */
  readonly outliers?: OutlierDetector;
  /** Counts calls in flight per instance, for least-pending and power-of-two-choices balancers. */
  readonly pending?: PendingTracker;
  /**
   * Bulkhead, adaptive limit, circuit breaker, retry and per-attempt timeout for this upstream, as
   * `policyFor` takes them (e.g. `upstreamPolicyOptions(service, config, timeoutMs)`). Without it, a call
   * is one attempt bounded by `timeoutMs`.
   */
  readonly policy?: UpstreamPolicyOptions;
  /**
   * A breaker per instance (e.g. `new CircuitBreakerRegistry(RECOMMENDED_INSTANCE_BREAKER)`): a 5xx or a
   * fault counts against the instance, and instances whose breaker is open are not picked while another is.
   */
  readonly instanceBreakers?: CircuitBreakerRegistry;
  /** Keep-alive connections per instance; default 128. */
  readonly connections?: number;
  /** Longest silence while a response body streams; default `timeoutMs`. */
  readonly bodyTimeoutMs?: number;
  /** Wait before a hedged attempt while no latency has been measured yet; default 100 ms. */
  readonly hedgeAfterMs?: number;
}

/** One buffered call to the service (see {@link HttpClient.request}). */
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
  /** The caller's own deadline (default `DeadlineStore.current()`); the call uses the earlier of it and `timeoutMs`. */
  readonly deadline?: Deadline;
  /** Affinity key passed to the balancer. */
  readonly key?: string;
  /** For idempotent reads: race a second attempt on another instance after the recent p95 latency. */
  readonly hedge?: boolean;
}

/**
 * Calls one logical service over HTTP, as a chain of small middlewares (Go kit style) composed once,
 * here, where their order can be read. Upstream statuses travel as values: a 503 is an answer that
 * breakers count and retries repeat, never an exception. Bodies stream both ways over a keep-alive undici
 * `Pool` per instance, redirects are never followed, and the caller's cancellation aborts the upstream request.
 */
export class HttpClient {
  /** The upstream's breaker, when the policy has one. */
  readonly breaker?: CircuitBreaker;
  readonly bulkhead?: PermitBulkhead;
  readonly limiter?: AdaptiveLimiter;
  readonly retryBudget?: RetryBudget;
  private readonly latency = new LatencyTracker();
  private readonly transport: PoolTransport;
  private readonly defaults: ExchangeDefaults;
  private readonly endpoint: Endpoint;
  private readonly unsubscribe: () => void;
  private readonly unmeter: () => void;

  constructor(private readonly options: HttpClientOptions) {
    const { service, policy } = options;
    this.defaults = { service, timeoutMs: options.timeoutMs, headers: options.headers };
    this.bulkhead = policy?.bulkhead && new PermitBulkhead(service, { ...policy.bulkhead, listener: this.listenerFor(policy.bulkhead.listener) });
    this.limiter = policy?.adaptiveLimit && new AdaptiveLimiter(policy.adaptiveLimit);
    this.breaker = policy?.breaker && new CircuitBreaker(service, { ...policy.breaker, scope: 'upstream', listener: this.listenerFor(policy.breaker.listener) });
    this.retryBudget = policy?.retry && (policy.retry.budget ?? new RetryBudget());
    this.transport = new PoolTransport({ service, connections: options.connections ?? 128, bodyTimeoutMs: options.bodyTimeoutMs ?? options.timeoutMs });
    this.endpoint = this.compose();
    this.unsubscribe = options.instancer.subscribe(service, (instances) => this.transport.retain(instances));
    this.unmeter = meterClient({ service, instancer: options.instancer, breaker: this.breaker, instanceBreakers: options.instanceBreakers, bulkhead: this.bulkhead, limiter: this.limiter, outliers: options.outliers });
  }

  /**
   * Sends `call` to one instance and answers as soon as the response headers arrive, the body streaming.
   * Any status is an answer (502/503/504 are first retried elsewhere when allowed). Rejects with
   * `NoInstancesError`, `TimeoutError` (`upstream-timeout`) when the deadline passes before the headers,
   * `UnavailableError` (`upstream-unavailable`, `circuit-open`, `bulkhead-full`, `concurrency-limit`),
   * or the caller's signal's reason when it cancels.
   */
  call(call: UpstreamCall): Promise<UpstreamAnswer> {
    try {
      return this.endpoint(new Attempt(new Exchange(call, this.defaults)));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** {@link call} with the whole body read: for service-to-service calls that want JSON, not a stream. */
  async request(request: HttpRequest): Promise<HttpResponse> {
    const answer = await this.call({
      method: (request.method ?? 'GET').toUpperCase(),
      path: request.path,
      headers: (request.headers ?? {}) as UpstreamCall['headers'],
      body: request.body,
      signal: request.signal,
      deadline: request.deadline,
      key: request.key,
      hedge: request.hedge,
    });
    const body = await this.read(answer, request.signal);
    const headers: Record<string, string> = {};
    for (const name in answer.headers) if (name !== 'set-cookie') headers[name] = String(answer.headers[name]);
    return new HttpResponse(answer.status, headers, body, answer.instance.id, (answer.headers['set-cookie'] as string[] | undefined) ?? []);
  }

  /** The ids of the instances this client holds a connection pool for. */
  pooledInstances(): string[] {
    return this.transport.pooled();
  }

  /** Stops following discovery and closes every connection pool, letting calls in flight finish. */
  async close(): Promise<void> {
    this.unsubscribe();
    this.unmeter();
    await this.transport.close();
  }

  /**
   * Where a part's events go: the policy's listener, else the part's own, either way counted first
   * (retries, breaker transitions, rejections, timeouts, hedges: see client-metrics.ts).
   */
  private listenerFor(own: ResilienceListener | undefined): ResilienceListener {
    return meteredListener(this.options.policy?.listener ?? own);
  }

  // The whole chain, outermost first. Parts the client was not configured with are left out.
  private compose(): Endpoint {
    const { service, instancer, balancer, outliers, pending, instanceBreakers, policy } = this.options;
    const listener = this.listenerFor(undefined);
    return chain(
      [
        deadline(service),
        traceCall(service, this.breaker),
        this.bulkhead && bulkhead(this.bulkhead),
        this.limiter && adaptiveLimit(this.limiter, service, this.listenerFor(policy?.adaptiveLimit?.listener)),
        this.breaker && upstreamBreaker(this.breaker),
        policy?.retry && this.retryBudget && retry({ ...policy.retry, upstream: service, budget: this.retryBudget, listener: this.listenerFor(policy.retry.listener) }),
        hedge({ upstream: service, latency: this.latency, defaultDelayMs: this.options.hedgeAfterMs ?? 100, listener }),
        pick({ service, instancer, balancer, outliers, instanceBreakers }),
        instanceBreakers && instanceBreaker(instanceBreakers),
        report({ outliers, pending, latency: this.latency }),
        policy && attemptTimeout(policy.timeoutMs, service, listener),
        traceAttempt(service),
      ],
      this.transport.send,
    );
  }

  private async read(answer: UpstreamAnswer, signal: AbortSignal | undefined): Promise<Buffer> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of answer.body as Readable) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const target = `Upstream "${this.options.service}" instance "${answer.instance.id}"`;
      if ((error as { code?: unknown }).code === 'UND_ERR_BODY_TIMEOUT') throw new TimeoutError(`${target} stalled while sending its response`, 'upstream-timeout', error);
      throw new UnavailableError(`${target} broke off its response`, 'upstream-unavailable', error);
    }
  }
}
