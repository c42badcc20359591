import { baseConfigSchema, ConfigError, loadConfig } from '@nestkit/config';
import { sagaConfigSchema } from './saga.config';

describe('sagaConfigSchema', () => {
  // As the orders service spreads it into its own schema.
  const schema = baseConfigSchema.extend({ ...sagaConfigSchema.shape });
  const load = (env: Record<string, string>) => loadConfig('orders', schema, env);

  it('defaults to a 30 s timeout swept every second', () => {
    expect(load({})).toMatchObject({ SAGA_TIMEOUT_MS: 30_000, SAGA_SWEEP_MS: 1_000 });
  });

  it('reads both from the environment', () => {
    expect(load({ SAGA_TIMEOUT_MS: '5000', SAGA_SWEEP_MS: '250' })).toMatchObject({ SAGA_TIMEOUT_MS: 5_000, SAGA_SWEEP_MS: 250 });
  });

  it.each([
    [{ SAGA_TIMEOUT_MS: '999' }, 'SAGA_TIMEOUT_MS'],
    [{ SAGA_TIMEOUT_MS: '86400001' }, 'SAGA_TIMEOUT_MS'],
    [{ SAGA_SWEEP_MS: '99' }, 'SAGA_SWEEP_MS'],
    [{ SAGA_SWEEP_MS: '60001' }, 'SAGA_SWEEP_MS'],
    [{ SAGA_SWEEP_MS: 'soon' }, 'SAGA_SWEEP_MS'],
  ])('refuses %j, naming %s', (env, key) => {
    const error = (() => {
      try {
        load(env);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.key)).toEqual([key]);
  });
});
