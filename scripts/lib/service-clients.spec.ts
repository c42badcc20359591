import { verify } from 'argon2';
import { generateServiceCredentials } from './service-clients';

describe(generateServiceCredentials.name, () => {
  it("gives identity only hashes, and each calling or signing service its own secret, different every run", async () => {
    const sut = await generateServiceCredentials();
    const clients = JSON.parse(sut.identityEnv['SERVICE_CLIENTS'] as string) as { id: string; secretHash: string; audiences: string[] }[];

    expect(clients.map(({ id, audiences }) => ({ id, audiences }))).toEqual([
      { id: 'gateway', audiences: ['identity', 'catalog', 'orders', 'notifications'] },
      { id: 'catalog', audiences: ['nestkit-messaging'] },
      { id: 'orders', audiences: ['catalog', 'nestkit-messaging'] },
    ]);
    for (const client of clients) {
      const { AUTH_CLIENT_ID, AUTH_CLIENT_SECRET } = sut.envFor(client.id);
      expect(AUTH_CLIENT_ID).toBe(client.id);
      expect(client.secretHash).toMatch(/^\$argon2id\$/);
      expect(sut.identityEnv['SERVICE_CLIENTS']).not.toContain(AUTH_CLIENT_SECRET);
      expect(await verify(client.secretHash, AUTH_CLIENT_SECRET as string)).toBe(true);
    }
    expect(sut.envFor('notifications')).toEqual({});
    expect((await generateServiceCredentials()).envFor('orders')['AUTH_CLIENT_SECRET']).not.toBe(sut.envFor('orders')['AUTH_CLIENT_SECRET']);
  });
});
