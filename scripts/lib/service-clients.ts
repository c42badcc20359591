// The service clients `npm start` registers with identity. Each run makes a fresh random secret per
// client; identity gets only the argon2id hashes (SERVICE_CLIENTS), each service only its own secret.
import { randomBytes } from 'node:crypto';
import { DEFAULT_MESSAGE_AUDIENCE } from '@nestkit/auth';
import { hash } from 'argon2';

/** Who calls whom: the gateway calls every service; orders calls catalog; orders and catalog sign their messages. */
const CLIENTS: readonly { id: string; audiences: readonly string[] }[] = [
  { id: 'gateway', audiences: ['identity', 'catalog', 'orders', 'notifications'] },
  { id: 'catalog', audiences: [DEFAULT_MESSAGE_AUDIENCE] },
  { id: 'orders', audiences: ['catalog', DEFAULT_MESSAGE_AUDIENCE] },
];

/** identity's own cost for client secrets (OWASP's argon2id minimum), so verifying one costs what it does in production. */
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** The credentials of one launcher run. */
export interface ServiceCredentials {
  /** identity's `SERVICE_CLIENTS`: ids, secret hashes and audiences. */
  identityEnv: Record<string, string>;
  /** `AUTH_CLIENT_ID` and `AUTH_CLIENT_SECRET` for `service`, or nothing when it calls no one. */
  envFor(service: string): Record<string, string>;
}

/** Makes a random secret per client and hashes it for identity. */
export async function generateServiceCredentials(): Promise<ServiceCredentials> {
  const secrets = new Map(CLIENTS.map((client) => [client.id, randomBytes(32).toString('base64url')]));
  const clients = await Promise.all(
    CLIENTS.map(async (client) => ({ id: client.id, secretHash: await hash(secrets.get(client.id) as string, ARGON2_OPTIONS), audiences: client.audiences })),
  );
  return {
    identityEnv: { SERVICE_CLIENTS: JSON.stringify(clients) },
    envFor: (service): Record<string, string> => {
      const secret = secrets.get(service);
      return secret === undefined ? {} : { AUTH_CLIENT_ID: service, AUTH_CLIENT_SECRET: secret };
    },
  };
}
