import { z } from 'zod';
import { ConfigError, baseConfigSchema, loadConfig } from './load-config';

describe(loadConfig.name, () => {
  const schema = baseConfigSchema.extend({ DATABASE_URL: z.string().startsWith('sqlite:').or(z.string().startsWith('postgres://')) });

  it('applies defaults and coerces numbers', () => {
    const sut = loadConfig('catalog', schema, { DATABASE_URL: 'sqlite::memory:', PORT: '4100' });
    expect(sut).toMatchObject({ PORT: 4100, HOST: '127.0.0.1', LOG_LEVEL: 'info', DATABASE_URL: 'sqlite::memory:' });
  });

  it('names every bad or missing key', () => {
    let error: unknown;
    try {
      loadConfig('catalog', schema, { PORT: 'eighty', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const keys = (error as ConfigError).problems.map((p) => p.key).sort();
    expect(keys).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    expect((error as Error).message).toContain('catalog: invalid configuration');
    expect((error as Error).message).toMatch(/- PORT: /);
  });

  it('rejects ports out of range', () => {
    expect(() => loadConfig('x', schema, { DATABASE_URL: 'sqlite::memory:', PORT: '70000' })).toThrow(/PORT/);
  });
});
