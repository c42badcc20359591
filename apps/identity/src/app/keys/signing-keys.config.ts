import { z } from 'zod';

/** Settings of the signing-key lifecycle: the secret that seals private keys at rest, and the rotation schedule. */
export const signingKeysConfigSchema = z.object({
  /**
   * Secret the private signing keys are encrypted with (AES-256-GCM, key derived with HKDF-SHA256).
   * At least 32 characters, e.g. `openssl rand -base64 32`. Required in production; development uses a
   * fixed, public secret and says so at boot.
   */
  SIGNING_KEY_SECRET: z.string().min(32, 'must be at least 32 characters, e.g. the output of `openssl rand -base64 32`').optional(),
  SIGNING_KEY_ALG: z.enum(['EdDSA', 'ES256']).default('EdDSA'),
  /** How long a key signs before the next one takes over. Default 30 days. */
  SIGNING_KEY_ROTATION_INTERVAL_SEC: z.coerce.number().int().min(60).max(365 * 24 * 3_600).default(30 * 24 * 3_600),
  /**
   * How long a new key is published in the JWKS before it may sign, so every verifier's cache has it.
   * Keep it above the verifiers' JWKS cache age and refetch cooldown. Default 10 minutes.
   */
  SIGNING_KEY_PUBLISH_LEAD_SEC: z.coerce.number().int().min(0).max(7 * 24 * 3_600).default(600),
  /** How often each instance reloads the keys and applies the schedule. Default 60 s. */
  SIGNING_KEY_CHECK_INTERVAL_SEC: z.coerce.number().int().min(1).max(3_600).default(60),
});

export type SigningKeysConfig = z.infer<typeof signingKeysConfigSchema>;

/**
 * Used when SIGNING_KEY_SECRET is unset outside production. It is in the source code, so keys sealed
 * with it are as good as plain text: fine for `npm start`, never for a real deployment.
 */
export const DEVELOPMENT_SIGNING_KEY_SECRET = 'nestkit-development-only-signing-key-secret-do-not-use';
