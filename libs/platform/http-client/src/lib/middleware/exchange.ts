import type { Readable } from 'node:stream';
import type { ServiceInstance } from '@nestkit/discovery';
import { TimeoutError } from '@nestkit/errors';
import { Deadline, DeadlineStore } from '@nestkit/resilience';
import { outgoingHeaders } from '../hop-by-hop';
import type { UpstreamCall } from '../upstream-call';

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** What an {@link Exchange} takes from its client. */
export interface ExchangeDefaults {
  readonly service: string;
  readonly timeoutMs: number;
  readonly headers: Readonly<Record<string, string>> | undefined;
}

/**
 * The state of one call, shared by its attempts: the prepared request, its deadline and the one abort
 * controller that the deadline timer and the caller's signal fire. One object per call, so the middlewares
 * composed at construction need no closure of their own.
 */
export class Exchange {
  readonly method: string;
  /** The outgoing headers; the transport sets the per-attempt ones (deadline) just before sending. */
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer | Uint8Array | string | Readable | null | undefined;
  /** The body can be sent again: it is not a stream. */
  readonly replayable: boolean;
  /** Safe to repeat: an idempotent method, or any call with an `Idempotency-Key`. */
  readonly idempotent: boolean;
  readonly deadline: Deadline;
  readonly budgetMs: number;
  readonly controller = new AbortController();
  /** The instances tried so far, in order; the last one is named in a timeout. */
  readonly tried: ServiceInstance[] = [];
  /** Set once the deadline fired before an answer. */
  expired = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly call: UpstreamCall,
    readonly defaults: ExchangeDefaults,
  ) {
    const { method, path, body } = call;
    if (!path.startsWith('/')) throw new TypeError(`Request path must start with "/": ${path}`);
    const hasBody = body !== undefined && body !== null;
    if (hasBody && (method === 'GET' || method === 'HEAD')) throw new TypeError(`${method} requests cannot have a body`);
    this.method = method;
    this.body = body;
    this.replayable = !hasBody || typeof (body as Readable).pipe !== 'function';
    this.headers = outgoingHeaders(defaults.headers, call.headers, !this.replayable);
    this.idempotent = IDEMPOTENT_METHODS.has(method) || this.headers['idempotency-key'] !== undefined;
    const now = Date.now();
    this.deadline = Deadline.min(call.deadline ?? DeadlineStore.current(), call.timeoutMs ?? defaults.timeoutMs, now);
    this.budgetMs = this.deadline.remaining(now);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True once the caller's own signal aborted: nothing learnt about the upstream. */
  get callerAborted(): boolean {
    return this.call.signal?.aborted === true;
  }

  /** Arms the deadline (one unref'd timer) and listens to the caller's signal. */
  start(): void {
    const signal = this.call.signal;
    if (signal?.aborted) return this.controller.abort(signal.reason);
    signal?.addEventListener('abort', this.onCallerAbort, { once: true });
    this.timer = setTimeout(this.onDeadline, this.budgetMs);
    this.timer.unref();
  }

  /** The answer's headers arrived: the deadline is met; the caller's signal still guards the body. */
  answered(body: Readable): void {
    clearTimeout(this.timer);
    if (this.call.signal) body.once('close', this.stop);
  }

  /** The call is over: stop listening to the caller. */
  readonly stop = (): void => {
    clearTimeout(this.timer);
    this.call.signal?.removeEventListener('abort', this.onCallerAbort);
  };

  /** A timeout naming the service, the last instance tried and the budget. */
  timeoutError(cause?: unknown): TimeoutError {
    const last = this.tried.at(-1);
    const target = last ? `Upstream "${this.defaults.service}" instance "${last.id}"` : `Upstream "${this.defaults.service}"`;
    return new TimeoutError(`${target} did not answer within ${this.budgetMs} ms`, 'upstream-timeout', cause);
  }

  private readonly onCallerAbort = (): void => {
    this.controller.abort(this.call.signal?.reason);
  };

  private readonly onDeadline = (): void => {
    this.expired = true;
    this.controller.abort(this.timeoutError());
  };
}

/**
 * One try of an exchange on one instance. Its signal is the exchange's, unless it needs its own
 * ({@link fork}): a hedged attempt that may lose, or one with a shorter timeout than the call.
 */
export class Attempt {
  instance: ServiceInstance | undefined;
  signal: AbortSignal;
  /** Set when it was aborted because another hedged attempt answered first. */
  lost = false;
  /** A hedge: a second attempt sent while the first was still waiting. */
  hedged = false;
  private controller: AbortController | undefined;

  constructor(readonly exchange: Exchange) {
    this.signal = exchange.signal;
  }

  /** True when its outcome says nothing about the instance: the caller gave up or it lost a hedge. */
  get cancelled(): boolean {
    return this.lost || this.exchange.callerAborted;
  }

  /** Gives the attempt its own abort controller, still aborted with the exchange's. */
  fork(): this {
    if (this.controller) return this;
    const controller = new AbortController();
    const parent = this.exchange.signal;
    if (parent.aborted) controller.abort(parent.reason);
    else parent.addEventListener('abort', () => controller.abort(parent.reason), { once: true });
    this.controller = controller;
    this.signal = controller.signal;
    return this;
  }

  /** Aborts this attempt alone (after {@link fork}), e.g. its own timeout or a lost hedge. */
  abort(reason: unknown): void {
    this.fork().controller?.abort(reason);
  }
}
