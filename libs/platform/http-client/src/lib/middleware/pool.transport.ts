import { instanceUrl, type ServiceInstance } from '@nestkit/discovery';
import { UnavailableError } from '@nestkit/errors';
import { DEADLINE_HEADER } from '@nestkit/resilience';
import { type Dispatcher, Pool } from 'undici';
import { responseHeaders } from '../hop-by-hop';
import type { UpstreamAnswer } from '../upstream-call';
import type { Attempt } from './exchange';

/** How a {@link PoolTransport} talks to the instances. */
export interface PoolTransportOptions {
  readonly service: string;
  /** Keep-alive connections per instance. */
  readonly connections: number;
  /** Longest silence while a response body streams, in milliseconds. */
  readonly bodyTimeoutMs: number;
}

/**
 * The innermost endpoint: sends the attempt over a keep-alive undici `Pool` of its instance and answers
 * with the response as it streams in. Pools are created on first use and closed (in-flight calls finish)
 * when their instance leaves discovery, or all at once by `close()`.
 */
export class PoolTransport {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly options: PoolTransportOptions) {}

  /** Sends one attempt; rejects with its abort reason, or `UnavailableError` when the instance cannot be reached. */
  readonly send = async (attempt: Attempt): Promise<UpstreamAnswer> => {
    const instance = attempt.instance as ServiceInstance;
    const exchange = attempt.exchange;
    exchange.headers[DEADLINE_HEADER] = exchange.deadline.toHeader();
    try {
      const { statusCode, headers, body } = await this.pool(instance).request({
        method: exchange.method as Dispatcher.HttpMethod,
        path: exchange.call.path,
        headers: exchange.headers,
        body: exchange.body,
        signal: attempt.signal,
        // The deadline middleware bounds the wait for headers precisely; undici's own timer would be coarser.
        headersTimeout: 0,
        bodyTimeout: this.options.bodyTimeoutMs,
      });
      return { status: statusCode, headers: responseHeaders(headers), body, instance };
    } catch (error) {
      throw this.failure(error, attempt, instance);
    }
  };

  /** Closes the pools of instances not in `instances`, e.g. on every discovery change. */
  retain(instances: readonly ServiceInstance[]): void {
    for (const [id, pool] of this.pools) {
      if (instances.some((instance) => instance.id === id)) continue;
      this.pools.delete(id);
      void pool.close().catch(() => undefined);
    }
  }

  /** The ids of the instances that have a pool now. */
  pooled(): string[] {
    return [...this.pools.keys()];
  }

  /** Closes every pool, letting calls in flight finish. */
  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }

  private pool(instance: ServiceInstance): Pool {
    let pool = this.pools.get(instance.id);
    if (!pool || pool.closed || pool.destroyed) {
      pool = new Pool(instanceUrl(instance), { connections: this.options.connections });
      this.pools.set(instance.id, pool);
    }
    return pool;
  }

  private failure(error: unknown, attempt: Attempt, instance: ServiceInstance): unknown {
    if (attempt.signal.aborted) return attempt.signal.reason;
    const reason = codeOf(error);
    const target = `"${this.options.service}" instance "${instance.id}" at ${instanceUrl(instance)}`;
    return new UnavailableError(`Upstream ${target} could not be reached${reason ? ` (${reason})` : ''}`, 'upstream-unavailable', error);
  }
}

/** The system or undici error code (`ECONNREFUSED`, `UND_ERR_SOCKET`), on the error or its cause. */
function codeOf(error: unknown): string | undefined {
  const own = (error as { code?: unknown } | undefined)?.code;
  if (typeof own === 'string') return own;
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}
