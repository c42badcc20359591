import { NotFoundError, TimeoutError, UnavailableError } from '@nestkit/errors';
import {
  b64,
  decodeKv,
  decodeWatch,
  type EtcdKeyValue,
  type EtcdWatchMessage,
  prefixEnd,
  type RawKeyValue,
  type RawWatchLine,
  readLines,
} from './etcd-gateway.wire';

export type { EtcdEvent, EtcdKeyValue, EtcdWatchMessage } from './etcd-gateway.wire';

export interface EtcdHttpClientOptions {
  /** Client URL of an etcd member, e.g. `http://127.0.0.1:2379`. */
  readonly url: string;
  /** Budget of every unary call and of opening a watch stream. */
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
}


/** etcd's gRPC NOT_FOUND status, as the JSON gateway reports it (e.g. revoking an expired lease). */
const GRPC_NOT_FOUND = 5;

/**
 * The few etcd v3 calls a registry needs, over etcd's built-in JSON/HTTP gateway (`/v3/...`) with
 * global `fetch`. Keys and values are strings; the gateway's base64 encoding stays in here.
 */
export class EtcdHttpClient {
  private readonly fetch: typeof fetch;
  private readonly base: string;

  constructor(private readonly options: EtcdHttpClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.base = options.url.replace(/\/+$/, '');
  }

  /** Writes `key`, attached to `lease` when given; resolves with the revision of the write. */
  async put(key: string, value: string, lease?: string): Promise<number> {
    const body = await this.call<{ header?: { revision?: string } }>('/v3/kv/put', { key: b64(key), value: b64(value), lease });
    return Number(body.header?.revision ?? 0);
  }

  /** Reads every key under `prefix`, with the store revision the read saw. */
  async range(prefix: string): Promise<{ revision: number; kvs: EtcdKeyValue[] }> {
    const body = await this.call<{ header?: { revision?: string }; kvs?: RawKeyValue[] }>('/v3/kv/range', {
      key: b64(prefix),
      range_end: b64(prefixEnd(prefix)),
    });
    return { revision: Number(body.header?.revision ?? 0), kvs: (body.kvs ?? []).map(decodeKv) };
  }

  /** Deletes `key`; `deleted` is false when it was not there (then no watch event follows). */
  async delete(key: string): Promise<{ revision: number; deleted: boolean }> {
    const body = await this.call<{ header?: { revision?: string }; deleted?: string }>('/v3/kv/deleterange', { key: b64(key) });
    return { revision: Number(body.header?.revision ?? 0), deleted: Number(body.deleted ?? 0) > 0 };
  }

  /** Grants a lease of `ttlSeconds` and returns its id (a decimal string: ids exceed 2^53). */
  async grant(ttlSeconds: number): Promise<string> {
    return (await this.call<{ ID: string }>('/v3/lease/grant', { TTL: ttlSeconds })).ID;
  }

  /** Renews a lease; resolves with its remaining TTL in seconds, 0 when it has already expired. */
  async keepAlive(lease: string): Promise<number> {
    const body = await this.call<{ result?: { TTL?: string } }>('/v3/lease/keepalive', { ID: lease });
    return Number(body.result?.TTL ?? 0);
  }

  /** Revokes a lease, deleting its keys; an already expired lease is not an error. */
  async revoke(lease: string): Promise<void> {
    try {
      await this.call('/v3/lease/revoke', { ID: lease });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }

  /** Answers whether the member serves requests; throws when it does not answer in time. */
  async ping(): Promise<void> {
    await this.call('/v3/maintenance/status', {});
  }

  /**
   * Streams changes under `prefix` from `fromRevision` until the stream ends or `signal` aborts.
   * Only opening the stream is bounded by the timeout: an idle watch is silent by design.
   */
  async watch(prefix: string, fromRevision: number, onMessage: (message: EtcdWatchMessage) => void, signal: AbortSignal): Promise<void> {
    const request = { create_request: { key: b64(prefix), range_end: b64(prefixEnd(prefix)), start_revision: String(fromRevision) } };
    const opening = new AbortController();
    const timer = setTimeout(() => opening.abort(new DOMException('opening the watch timed out', 'TimeoutError')), this.options.timeoutMs);
    let response: Response;
    try {
      response = await this.send('/v3/watch', request, AbortSignal.any([signal, opening.signal]));
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok || !response.body) throw new UnavailableError(`etcd /v3/watch answered ${response.status}`, 'discovery.etcd-unavailable');
    try {
      await readLines(response.body, (line) => onMessage(decodeWatch(JSON.parse(line) as RawWatchLine)));
    } catch (error) {
      throw failure('/v3/watch', error);
    }
  }

  /** Rejects with `NotFoundError` when etcd does not know a lease the call names, else `UnavailableError`. */
  private async call<T>(path: string, body: unknown): Promise<T> {
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    const response = await this.send(path, body, signal);
    const text = await response.text().catch((error: unknown) => {
      throw failure(path, error);
    });
    const parsed = parseJson(path, text) as T & { code?: number; message?: string };
    if (response.ok) return parsed;
    if (parsed.code === GRPC_NOT_FOUND) throw new NotFoundError(`etcd ${path}: ${parsed.message}`, 'discovery.etcd-not-found');
    throw new UnavailableError(`etcd ${path} answered ${response.status}: ${parsed.message ?? text}`, 'discovery.etcd-unavailable');
  }

  private async send(path: string, body: unknown, signal: AbortSignal): Promise<Response> {
    try {
      return await this.fetch(`${this.base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal,
      });
    } catch (error) {
      throw failure(path, error);
    }
  }
}

function failure(path: string, error: unknown): Error {
  if (error instanceof UnavailableError) return error;
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return new TimeoutError(`etcd ${path} timed out`, 'discovery.etcd-timeout', error);
  }
  return new UnavailableError(`etcd ${path} failed: ${error instanceof Error ? error.message : String(error)}`, 'discovery.etcd-unavailable', error);
}

function parseJson(path: string, text: string): unknown {
  try {
    return text ? JSON.parse(text) : {};
  } catch (error) {
    throw new UnavailableError(`etcd ${path} answered something other than JSON`, 'discovery.etcd-unavailable', error);
  }
}
