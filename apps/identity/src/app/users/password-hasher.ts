import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { hash, verify } from 'argon2';

/** argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane). */
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * argon2id hashing for passwords and client secrets. {@link verifyOrDummy} checks against a dummy hash
 * of the same cost when there is no stored hash, so an unknown account costs as much time as a known one.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private dummy?: Promise<string>;

  /** Makes the dummy hash at boot, so the first unknown-account login is not the slow one. */
  async onModuleInit(): Promise<void> {
    await this.dummyHash();
  }

  hash(secret: string): Promise<string> {
    return hash(secret, ARGON2_OPTIONS);
  }

  /** True when `secret` matches `stored`; with no stored hash, does the same work and returns false. */
  async verifyOrDummy(stored: string | undefined, secret: string): Promise<boolean> {
    const matches = await verify(stored ?? (await this.dummyHash()), secret);
    return stored !== undefined && matches;
  }

  private dummyHash(): Promise<string> {
    this.dummy ??= hash(randomUUID(), ARGON2_OPTIONS);
    return this.dummy;
  }
}
