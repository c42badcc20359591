import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '@nestkit/config';
import { inTransaction } from '@nestkit/database';
import { platformMetrics } from '@nestkit/metrics';
import { DataSource, type EntityManager, In } from 'typeorm';
import { type Clock, CLOCK } from '../clock';
import type { IdentityConfig } from '../identity.config';
import { LoginThrottleEntity } from './login-throttle.entity';
import { recordAttempt, releaseAttempt, type ThrottleRule, type ThrottleState } from './login-throttle.policy';
import { LoginThrottledError } from './login-throttled.error';

/** Logins refused by the throttle, by scope (`account` or `address`): a spike is a credential-stuffing attempt. */
const loginThrottled = platformMetrics.counter({ name: 'nestkit_login_throttled_total', help: 'Login attempts refused by the throttle, by scope.', labelNames: ['scope'] });

type Scope = 'account' | 'address';

const stateOf = (row: LoginThrottleEntity): ThrottleState => ({
  attempts: row.attempts,
  windowStartedAt: Number(row.windowStartedAt),
  lockedUntil: Number(row.lockedUntil),
});

/**
 * Login attempt counters in the database, shared by every identity instance. The account key is a hash
 * of the e-mail, registered or not, so an unknown e-mail is throttled exactly like a real one and the
 * table holds no addresses of people who never registered.
 */
@Injectable()
export class LoginThrottle {
  private readonly rules: Record<Scope, ThrottleRule>;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CONFIG) config: IdentityConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    const windowMs = config.LOGIN_ATTEMPT_WINDOW_SEC * 1_000;
    const lockoutMs = config.LOGIN_LOCKOUT_SEC * 1_000;
    this.rules = {
      account: { maxAttempts: config.LOGIN_MAX_ATTEMPTS_PER_ACCOUNT, windowMs, lockoutMs },
      address: { maxAttempts: config.LOGIN_MAX_ATTEMPTS_PER_IP, windowMs, lockoutMs },
    };
  }

  /** Counts an attempt for the e-mail and the address, or throws 429 {@link LoginThrottledError} counting nothing. */
  async attempt(email: string, ip: string): Promise<void> {
    const keys = this.keys(email, ip);
    await inTransaction(this.dataSource, async (manager) => {
      const rows = await this.lockRows(manager, keys);
      const now = this.clock().getTime();
      const decisions = keys.map(([key, scope]) => ({ key, scope, decision: recordAttempt(rows.get(key), now, this.rules[scope]) }));
      const refused = decisions.find((entry) => !entry.decision.allowed);
      if (refused && !refused.decision.allowed) {
        loginThrottled.inc({ scope: refused.scope });
        throw new LoginThrottledError(Math.ceil(refused.decision.retryAfterMs / 1_000), refused.scope);
      }
      for (const { key, decision } of decisions) if (decision.allowed) await this.save(manager, key, decision.next);
    });
  }

  /** After a successful login: clears the account's counter and gives the address its attempt back. */
  async succeeded(email: string, ip: string): Promise<void> {
    const [[accountKey], [addressKey]] = this.keys(email, ip);
    await inTransaction(this.dataSource, async (manager) => {
      await manager.delete(LoginThrottleEntity, { key: accountKey });
      const address = (await this.lockRows(manager, [[addressKey, 'address']])).get(addressKey);
      if (address) await this.save(manager, addressKey, releaseAttempt(address, this.rules.address));
    });
  }

  /** Deletes counters whose window and lock have both run out; returns how many went. */
  async pruneIdle(): Promise<number> {
    const now = this.clock().getTime();
    const windowMs = Math.max(this.rules.account.windowMs, this.rules.address.windowMs);
    const result = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(LoginThrottleEntity)
      .where('locked_until <= :now AND window_started_at <= :windowStart', { now, windowStart: now - windowMs })
      .execute();
    return result.affected ?? 0;
  }

  private keys(email: string, ip: string): [string, Scope][] {
    return [
      [`account:${createHash('sha256').update(email).digest('hex')}`, 'account'],
      [`ip:${ip.slice(0, 90)}`, 'address'],
    ];
  }

  // Creates missing rows first, so the row lock (PostgreSQL) serialises concurrent attempts on a new key too.
  private async lockRows(manager: EntityManager, keys: [string, Scope][]): Promise<Map<string, ThrottleState>> {
    const blank = keys.map(([key]) => ({ key, attempts: 0, windowStartedAt: '0', lockedUntil: '0' }));
    await manager.createQueryBuilder().insert().into(LoginThrottleEntity).values(blank).orIgnore().execute();
    const lock = this.dataSource.options.type === 'postgres' ? { lock: { mode: 'pessimistic_write' as const } } : {};
    const rows = await manager.find(LoginThrottleEntity, { where: { key: In(keys.map(([key]) => key)) }, ...lock });
    return new Map(rows.filter((row) => row.windowStartedAt !== '0').map((row) => [row.key, stateOf(row)]));
  }

  private save(manager: EntityManager, key: string, state: ThrottleState): Promise<unknown> {
    return manager.update(LoginThrottleEntity, { key }, { attempts: state.attempts, windowStartedAt: String(state.windowStartedAt), lockedUntil: String(state.lockedUntil) });
  }
}
