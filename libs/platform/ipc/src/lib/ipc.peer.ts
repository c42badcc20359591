import type { IpcEndpoint } from './ipc-endpoint';

interface Frame {
  ch: string;
  op: string;
  id?: number;
  re?: number;
  body?: unknown;
  error?: string;
  code?: string;
}

type Handler = (body: unknown) => unknown;

function isFrame(value: unknown, channel: string): value is Frame {
  return typeof value === 'object' && value !== null && (value as Frame).ch === channel && typeof (value as Frame).op === 'string';
}

/** Raised when the other side answered a request with an error, did not answer in time, or went away. */
export class IpcError extends Error {
  constructor(
    message: string,
    /** The `code` of the error the other side raised, when it had one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'IpcError';
  }
}

/**
 * Request/reply and one-way notifications on one named channel of an {@link IpcEndpoint}. Several
 * peers (discovery, messaging) share one process channel, each on its own `channel` name. Every
 * request has a timeout; pending requests fail at once when the other side goes away.
 */
export class IpcPeer {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout }>();
  private readonly handlers = new Map<string, Handler>();
  private readonly unsubscribe: () => void;
  private readonly closeListeners: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly endpoint: IpcEndpoint,
    readonly channel: string,
  ) {
    this.unsubscribe = endpoint.onMessage((message) => this.receive(message));
    endpoint.onClose(() => this.close('the other process went away'));
  }

  /** Sends `op` and resolves with the handler's result on the other side. */
  request<T>(op: string, body?: unknown, timeoutMs = 5_000): Promise<T> {
    if (this.closed) return Promise.reject(new IpcError(`${this.channel}: channel closed, cannot send ${op}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new IpcError(`${this.channel}: no answer to ${op} within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.endpoint.send({ ch: this.channel, op, id, body } satisfies Frame);
    });
  }

  /** Sends `op` without waiting for an answer. */
  notify(op: string, body?: unknown): void {
    if (!this.closed) this.endpoint.send({ ch: this.channel, op, body } satisfies Frame);
  }

  /** Serves `op`: requests get the handler's (awaited) result or its error message back. */
  handle(op: string, handler: Handler): void {
    this.handlers.set(op, handler);
  }

  /** Calls `listener` once when the peer closes (the other process went away, or `close()`). */
  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  /** Stops listening and fails every pending request. */
  close(reason = 'closed'): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    for (const listener of this.closeListeners.splice(0)) listener();
    for (const [id, call] of this.pending) {
      clearTimeout(call.timer);
      call.reject(new IpcError(`${this.channel}: ${reason}`));
      this.pending.delete(id);
    }
  }

  private receive(message: unknown): void {
    if (!isFrame(message, this.channel)) return;
    if (message.re !== undefined) return this.settle(message);
    const handler = this.handlers.get(message.op);
    if (message.id === undefined) {
      void Promise.resolve()
        .then(() => handler?.(message.body))
        .catch(() => undefined);
      return;
    }
    const reply = (frame: Partial<Frame>) => this.endpoint.send({ ch: this.channel, op: message.op, re: message.id, ...frame });
    if (!handler) return reply({ error: `${this.channel}: no handler for ${message.op}` });
    Promise.resolve()
      .then(() => handler(message.body))
      .then(
        (body) => reply({ body }),
        (error: unknown) =>
          reply({
            error: error instanceof Error ? error.message : String(error),
            code: typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined,
          }),
      );
  }

  private settle(frame: Frame): void {
    const call = this.pending.get(frame.re as number);
    if (!call) return;
    this.pending.delete(frame.re as number);
    clearTimeout(call.timer);
    if (frame.error !== undefined) call.reject(new IpcError(frame.error, frame.code));
    else call.resolve(frame.body);
  }
}
