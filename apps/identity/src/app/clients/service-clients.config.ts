import { z } from 'zod';

const Name = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'lower-case letters, digits, ".", "_" or "-"');

/** One service client: who it is, the hash of its secret, and the audiences it may get tokens for. */
export const ServiceClient = z.object({
  id: Name,
  /** argon2id hash of the client secret (`node dist/apps/identity/src/hash-client-secret.js <secret>`); the secret itself is never configured here. */
  secretHash: z.string().startsWith('$argon2id$', 'must be an argon2id hash ($argon2id$...); make one with hash-client-secret'),
  /** Services this client may call (each its own narrow audience), plus the messaging audience if it publishes. */
  audiences: z.array(Name).min(1),
  roles: z.array(z.string().min(1)).default([]),
  permissions: z.array(z.string().min(1)).default([]),
});
export type ServiceClient = z.infer<typeof ServiceClient>;

const ServiceClientList = z
  .array(ServiceClient)
  .refine((clients) => new Set(clients.map((client) => client.id)).size === clients.length, 'client ids must be unique');

/** `SERVICE_CLIENTS`: a JSON array of {@link ServiceClient}; empty (no service may get tokens) by default. */
export const serviceClientsConfigSchema = z.object({
  SERVICE_CLIENTS: z
    .string()
    .default('[]')
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        context.addIssue({ code: 'custom', message: 'must be a JSON array of { id, secretHash, audiences, roles?, permissions? }' });
        return z.NEVER;
      }
    })
    .pipe(ServiceClientList),
  /** Lifetime of service tokens. Default 5 minutes. */
  SERVICE_TOKEN_TTL_SEC: z.coerce.number().int().min(30).max(3_600).default(300),
});

export type ServiceClientsConfig = z.infer<typeof serviceClientsConfigSchema>;
