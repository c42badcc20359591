import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { PublicSigningJwk, TokenSigner } from '@nestkit/auth';
import { CONFIG } from '@nestkit/config';
import type { SigningKeyView } from '@nestkit/contracts/identity';
import { ConflictError } from '@nestkit/errors';
import { type Clock, CLOCK } from '../clock';
import type { IdentityConfig } from '../identity.config';
import { type RotationSettings, signingKeyOf } from './key-rotation.policy';
import { PrivateKeyCipher } from './private-key.cipher';
import type { SigningKeyEntity } from './signing-key.entity';
import { SigningKeyFactory } from './signing-key.factory';
import { recordOf, SigningKeyStore } from './signing-key.store';
import { DEVELOPMENT_SIGNING_KEY_SECRET } from './signing-keys.config';

// Verifiers accept tokens up to 5 s past exp; a minute covers that and hosts whose clocks drift apart.
const CLOCK_SKEW_MS = 60_000;

interface Loaded {
  signer: TokenSigner;
  jwks: { keys: PublicSigningJwk[] };
  rows: SigningKeyEntity[];
}

/**
 * The keys that sign access and service tokens, persisted (private halves sealed) so a restart keeps
 * every token valid. Each instance reloads them and applies the rotation schedule every
 * SIGNING_KEY_CHECK_INTERVAL_SEC; {@link rotate} rotates on demand. The JWKS lists the next, active and
 * retiring keys: a key is published before it signs and stays published until its last token expired.
 */
@Injectable()
export class SigningKeys implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SigningKeys.name);
  private readonly factory: SigningKeyFactory;
  private readonly settings: RotationSettings;
  private loaded?: Loaded;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly store: SigningKeyStore,
    @Inject(CONFIG) private readonly config: IdentityConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.factory = new SigningKeyFactory(new PrivateKeyCipher(config.SIGNING_KEY_SECRET ?? DEVELOPMENT_SIGNING_KEY_SECRET), config.SIGNING_KEY_ALG);
    const checkMs = config.SIGNING_KEY_CHECK_INTERVAL_SEC * 1_000;
    this.settings = {
      rotationIntervalMs: config.SIGNING_KEY_ROTATION_INTERVAL_SEC * 1_000,
      publishLeadMs: config.SIGNING_KEY_PUBLISH_LEAD_SEC * 1_000,
      // A replica may sign with a retired key until its next reload, so that interval counts too.
      retireAfterMs: Math.max(config.ACCESS_TOKEN_TTL_SEC, config.SERVICE_TOKEN_TTL_SEC) * 1_000 + checkMs + CLOCK_SKEW_MS,
    };
  }

  async onModuleInit(): Promise<void> {
    if (!this.config.SIGNING_KEY_SECRET) {
      this.logger.warn('SIGNING_KEY_SECRET is not set: signing keys are sealed with the public development secret; set it outside development');
    }
    await this.maintain(false);
    this.timer = setInterval(() => void this.tick(), this.config.SIGNING_KEY_CHECK_INTERVAL_SEC * 1_000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** The signer of the active key. */
  get signer(): TokenSigner {
    if (!this.loaded) throw new Error('signing keys not loaded yet');
    return this.loaded.signer;
  }

  /** The public keys verifiers accept (next, active and retiring), as a JSON Web Key Set. */
  jwks(): { keys: PublicSigningJwk[] } {
    return this.loaded?.jwks ?? { keys: [] };
  }

  /** Every key with its state and dates, public facts only. */
  views(): SigningKeyView[] {
    return (this.loaded?.rows ?? []).map((row) => {
      const key = recordOf(row);
      return {
        kid: key.kid,
        alg: row.alg,
        state: key.state,
        createdAt: new Date(key.createdAt).toISOString(),
        ...(key.activatedAt === undefined ? {} : { activatedAt: new Date(key.activatedAt).toISOString() }),
        ...(key.removeAfter === undefined ? {} : { removeAfter: new Date(key.removeAfter).toISOString() }),
      };
    });
  }

  /** Rotates now: the published next key signs from now on. 409 when it has not been published long enough. */
  async rotate(): Promise<SigningKeyView[]> {
    const nextReadyAt = await this.maintain(true);
    if (nextReadyAt !== undefined) {
      throw new ConflictError(
        `the next signing key may sign from ${new Date(nextReadyAt).toISOString()}, once it has been published for SIGNING_KEY_PUBLISH_LEAD_SEC; rotate again then`,
        'identity.next-key-not-ready',
      );
    }
    return this.views();
  }

  /** Applies the schedule and reloads; returns when a due rotation had to wait for the next key. */
  async maintain(force: boolean): Promise<number | undefined> {
    const { rows, plan } = await this.store.maintain(this.factory, this.clock().getTime(), this.settings, force);
    for (const action of plan.actions) this.logger.log({ action: action.type, kid: 'kid' in action ? action.kid : undefined }, 'signing keys changed');
    await this.load(rows);
    return plan.nextReadyAt;
  }

  private async tick(): Promise<void> {
    try {
      await this.maintain(false);
    } catch (error) {
      // The keys in memory keep working; the next tick tries again.
      this.logger.error({ err: error }, 'signing key maintenance failed');
    }
  }

  private async load(rows: SigningKeyEntity[]): Promise<void> {
    const active = signingKeyOf(rows.map(recordOf));
    const row = rows.find((candidate) => candidate.kid === active?.kid);
    if (!row) throw new Error('no active signing key after maintenance');
    const signer = this.loaded?.signer.kid === row.kid ? this.loaded.signer : await this.factory.signerOf(row, this.signerSettings());
    const jwks = { keys: rows.map((candidate) => this.factory.publicJwkOf(candidate)) };
    this.loaded = { signer, jwks, rows };
  }

  private signerSettings() {
    return { issuer: this.config.AUTH_ISSUER, audience: this.config.AUTH_AUDIENCE, accessTtlSec: this.config.ACCESS_TOKEN_TTL_SEC, clock: this.clock };
  }
}
