import type { Readable } from 'node:stream';
import type { ServiceInstance } from '@nestkit/discovery';
import type { Balancer } from '@nestkit/load-balancing';
import type { Deadline } from '@nestkit/resilience';

/** One streaming call to the service, as {@link HttpClient.call} takes it. */
export interface UpstreamCall {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Path and query, starting with `/`. */
  readonly path: string;
  /** Hop-by-hop headers are dropped, so incoming request headers can be passed straight through. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** A `Readable` is streamed as it comes and cannot be replayed: such a call is never retried nor hedged. */
  readonly body?: Buffer | Uint8Array | string | Readable | null;
  /** The caller's cancellation (e.g. its own client went away): aborts the upstream request, body included. */
  readonly signal?: AbortSignal;
  /** The caller's deadline; defaults to `DeadlineStore.current()`. The call uses the earlier of it and the timeout. */
  readonly deadline?: Deadline;
  /** This call's budget in milliseconds instead of the client's `timeoutMs` (e.g. a route's timeout). */
  readonly timeoutMs?: number;
  /** Affinity key for the balancer (consistent hashing). */
  readonly key?: string;
  /** This call's balancer instead of the client's. */
  readonly balancer?: Balancer<ServiceInstance>;
  /** Only instances it accepts are candidates, before health filtering; none left is `NoInstancesError`. */
  readonly filter?: (instance: ServiceInstance) => boolean;
  /** Race a second attempt on another instance after the recent p95; idempotent calls with a replayable body only. */
  readonly hedge?: boolean;
  /** Default true: retry idempotent calls (or those with an `Idempotency-Key`) whose body is replayable. */
  readonly retry?: boolean;
}

/** The upstream's answer, whatever its status, with the body still streaming. */
export interface UpstreamAnswer {
  readonly status: number;
  /** End-to-end response headers, lower-case; `set-cookie` always a `string[]`. */
  readonly headers: Record<string, string | string[]>;
  /** The response body as it arrives; the caller must consume or destroy it. */
  readonly body: Readable;
  /** The instance that answered. */
  readonly instance: ServiceInstance;
}

/** Statuses that say "this instance could not serve it now": retried elsewhere, counted by the upstream breaker. */
export const UNAVAILABLE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);
