import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { LoginThrottle } from './login/login-throttle';
import { RefreshTokens } from './tokens/refresh-tokens';

const EVERY_MS = 60 * 60_000;

/** Hourly clean-up of rows that can no longer matter: expired sessions and idle login counters. */
@Injectable()
export class Housekeeping implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(Housekeeping.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly refreshTokens: RefreshTokens,
    private readonly throttle: LoginThrottle,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.run(), EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Runs one clean-up; failures are logged and retried at the next run. */
  async run(): Promise<void> {
    try {
      const tokens = await this.refreshTokens.pruneExpired();
      const counters = await this.throttle.pruneIdle();
      if (tokens + counters > 0) this.logger.log({ tokens, counters }, 'expired rows deleted');
    } catch (error) {
      this.logger.error({ err: error }, 'housekeeping failed');
    }
  }
}
