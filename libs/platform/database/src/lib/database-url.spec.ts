import { parseDatabaseUrl } from './database-url';

describe(parseDatabaseUrl.name, () => {
  it.each([
    ['sqlite:.data/orders.db', { kind: 'sqlite', file: '.data/orders.db' }],
    ['sqlite::memory:', { kind: 'sqlite', file: ':memory:' }],
    ['sqlite:///var/lib/orders.db', { kind: 'sqlite', file: '/var/lib/orders.db' }],
    ['postgres://u:p@127.0.0.1:5432/orders', { kind: 'postgres', url: 'postgres://u:p@127.0.0.1:5432/orders' }],
    ['postgresql://u@db/orders?sslmode=require', { kind: 'postgres', url: 'postgresql://u@db/orders?sslmode=require' }],
  ])('parses %s', (url, expected) => {
    expect(parseDatabaseUrl(url)).toEqual(expected);
  });

  it.each(['', 'sqlite:', 'mysql://u@h/db', 'postgres://host-only', 'orders.db'])('rejects "%s"', (url) => {
    expect(parseDatabaseUrl(url)).toBeUndefined();
  });
});
