import { UnavailableError } from '@nestkit/errors';
import { reconnectDelay } from '@nestkit/resilience';
import { messageOf } from './call-timeout';
import type { ResolvedRabbitMqBusOptions } from './rabbitmq-bus.options';
import { closeSession, openSession, type RabbitMqSession } from './rabbitmq.session';

/** What the owner of a connection does with each new session. */
export interface ConnectionHooks {
  /** Declares topology and starts consumers; a rejection discards the session and retries. */
  setup(session: RabbitMqSession): Promise<void>;
}

interface Waiter {
  resolve(session: RabbitMqSession): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Keeps one {@link RabbitMqSession} open: connects on first use, and whenever the connection or one of its
 * channels drops, reconnects with exponential backoff and jitter and runs `setup` again. Callers wait for a
 * session with a timeout; none of them ever sees a half-set-up one.
 */
export class RabbitMqConnection {
  private current: RabbitMqSession | undefined;
  private loop: Promise<void> | undefined;
  private readonly waiters = new Set<Waiter>();
  private attempt = 0;
  private sessions = 0;
  private lastError: unknown;
  private closed = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly options: ResolvedRabbitMqBusOptions,
    private readonly hooks: ConnectionHooks,
  ) {}

  /** True once connecting has begun (on `start` or the first `publish`), until `close`. */
  get active(): boolean {
    return !this.closed && (this.current !== undefined || this.loop !== undefined);
  }

  /** The current session, if one is open and set up. */
  get session(): RabbitMqSession | undefined {
    return this.current?.alive ? this.current : undefined;
  }

  /** The open session, connecting first if needed; rejects with an UnavailableError after `timeoutMs`. */
  ready(timeoutMs: number): Promise<RabbitMqSession> {
    if (this.closed) return Promise.reject(new UnavailableError('The RabbitMQ bus is closed', 'messaging.bus-closed'));
    const open = this.session;
    if (open) return Promise.resolve(open);
    this.ensureConnecting();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(this.unavailable(timeoutMs));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Drops `session` (if still current) as if the broker had closed it, and reconnects. */
  reset(session: RabbitMqSession, error: Error): void {
    if (session !== this.current || !session.alive) return;
    session.alive = false;
    this.onLost(session, error);
  }

  /** Closes the session and stops reconnecting; waiters reject. */
  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new UnavailableError('The RabbitMQ bus was closed while waiting for a connection', 'messaging.bus-closed'));
    }
    this.waiters.clear();
    await this.loop;
    const session = this.current;
    this.current = undefined;
    if (session) await closeSession(session, this.options.operationTimeoutMs);
  }

  private ensureConnecting(): void {
    if (this.loop || this.closed) return;
    this.loop = this.connectUntilOpen().finally(() => (this.loop = undefined));
  }

  private async connectUntilOpen(): Promise<void> {
    while (!this.closed && !this.session) {
      if (this.attempt > 0) await this.pause(reconnectDelay(this.attempt - 1, this.options.reconnect));
      if (this.closed) return;
      try {
        const session = await openSession((this.sessions += 1), this.options, {
          lost: (lost, error) => this.onLost(lost, error),
          blocked: (reason) => this.log('warn', 'blocked', `RabbitMQ blocked publishing (${reason}); publishes wait until it unblocks`),
          unblocked: () => this.log('info', 'unblocked', 'RabbitMQ unblocked publishing'),
        });
        await this.setUp(session);
        this.opened(session);
      } catch (error) {
        if (this.closed) return;
        this.attempt += 1;
        this.lastError = error;
        this.log('warn', 'connect-failed', `RabbitMQ at ${this.options.safeUrl}: connection attempt ${this.attempt} failed (${messageOf(error)})`, error);
      }
    }
  }

  /** Why there is no live connection now (the last error, or "connecting"), or undefined while connected. */
  problem(): string | undefined {
    if (this.current?.alive) return undefined;
    if (this.closed) return 'closed';
    return this.lastError === undefined ? `connecting to ${this.options.safeUrl}` : `no connection to ${this.options.safeUrl} (${messageOf(this.lastError)})`;
  }

  private async setUp(session: RabbitMqSession): Promise<void> {
    try {
      await this.hooks.setup(session);
      if (!session.alive) throw new Error('the connection was lost while declaring topology');
      if (this.closed) throw new Error('the bus was closed while connecting');
    } catch (error) {
      await closeSession(session, this.options.operationTimeoutMs);
      throw error;
    }
  }

  private opened(session: RabbitMqSession): void {
    this.current = session;
    this.attempt = 0;
    this.lastError = undefined;
    this.log('info', 'connected', `connected to RabbitMQ at ${this.options.safeUrl} as "${this.options.connectionName}"`);
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(session);
    }
    this.waiters.clear();
  }

  private onLost(session: RabbitMqSession, error: Error): void {
    // A session lost during setup is discarded by `setUp`; only the current one needs a reconnect.
    if (session !== this.current) return;
    this.current = undefined;
    this.lastError = error;
    this.attempt = 1;
    this.log('warn', 'disconnected', `lost RabbitMQ at ${this.options.safeUrl} (${error.message}); reconnecting`, error);
    void closeSession(session, this.options.operationTimeoutMs);
    this.ensureConnecting();
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(), ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private unavailable(timeoutMs: number): UnavailableError {
    const last = this.lastError === undefined ? 'still connecting' : `last error: ${messageOf(this.lastError)}`;
    return new UnavailableError(
      `No connection to RabbitMQ at ${this.options.safeUrl} within ${timeoutMs} ms (${last}). ` +
        'Check that the broker is running and reachable from this host, and the user, password and vhost in the URL.',
      'messaging.broker-unavailable',
      this.lastError,
    );
  }

  private log(level: 'info' | 'warn', event: 'connected' | 'disconnected' | 'connect-failed' | 'blocked' | 'unblocked', message: string, error?: unknown): void {
    this.options.log({ level, event, message, ...(error === undefined ? {} : { error }) });
  }
}
