import { randomUUID } from 'node:crypto';
import { call } from './http';

/**
 * The platform's first admin: start the platform with `env` (identity's BOOTSTRAP_ADMIN_EMAIL), then
 * `token(api)` registers that account, which becomes admin at registration, and logs it in.
 */
export function bootstrapAdmin(): { env: Record<string, string>; token(api: string): Promise<string> } {
  const email = `admin-${randomUUID()}@example.com`;
  const password = `pw-${randomUUID()}`;
  return {
    env: { BOOTSTRAP_ADMIN_EMAIL: email },
    async token(api) {
      const registered = await call(`${api}/identity/register`, { json: { email, password } });
      if (registered.status !== 201) throw new Error(`registering the bootstrap admin answered ${registered.status}: ${JSON.stringify(registered.body)}`);
      const login = await call(`${api}/identity/login`, { json: { email, password } });
      if (login.status !== 200) throw new Error(`logging the bootstrap admin in answered ${login.status}: ${JSON.stringify(login.body)}`);
      return login.body.accessToken as string;
    },
  };
}
