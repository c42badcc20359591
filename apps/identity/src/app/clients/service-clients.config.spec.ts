import { serviceClientsConfigSchema } from './service-clients.config';

const issues = (env: Record<string, string>) => serviceClientsConfigSchema.safeParse(env).error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [];
const client = { id: 'orders', secretHash: '$argon2id$v=19$m=19456,t=2,p=1$abc$def', audiences: ['catalog'] };

describe('serviceClientsConfigSchema', () => {
  it('defaults to no clients and 5-minute service tokens', () => {
    expect(serviceClientsConfigSchema.parse({})).toEqual({ SERVICE_CLIENTS: [], SERVICE_TOKEN_TTL_SEC: 300 });
  });

  it('parses a JSON list, defaulting roles and permissions', () => {
    expect(serviceClientsConfigSchema.parse({ SERVICE_CLIENTS: JSON.stringify([client]) }).SERVICE_CLIENTS).toEqual([{ ...client, roles: [], permissions: [] }]);
  });

  it.each([
    ['not JSON', 'orders:secret:catalog', 'SERVICE_CLIENTS: must be a JSON array of { id, secretHash, audiences, roles?, permissions? }'],
    ['a plain secret instead of a hash', JSON.stringify([{ ...client, secretHash: 'secret' }]), 'SERVICE_CLIENTS.0.secretHash: must be an argon2id hash ($argon2id$...); make one with hash-client-secret'],
    ['no audience', JSON.stringify([{ ...client, audiences: [] }]), 'SERVICE_CLIENTS.0.audiences: Too small: expected array to have >=1 items'],
    ['a duplicate id', JSON.stringify([client, client]), 'SERVICE_CLIENTS: client ids must be unique'],
  ])('names the problem with %s', (_case, value, message) => {
    expect(issues({ SERVICE_CLIENTS: value })).toEqual([message]);
  });
});
