import type { RegistryStatus } from './registry-status';
import { RegistryReadiness } from './registry.readiness';

describe(RegistryReadiness.name, () => {
  it('passes for backends that cannot fail (embedded, static)', async () => {
    await expect(new RegistryReadiness({}).check()).resolves.toBeUndefined();
  });

  it('passes while the backend is connected', async () => {
    const status: RegistryStatus = { state: 'connected', since: new Date() };
    await expect(new RegistryReadiness({ status: () => status }).check()).resolves.toBeUndefined();
  });

  it('reports a degraded backend, since when and why, as non-critical', async () => {
    const status: RegistryStatus = { state: 'degraded', since: new Date('2026-11-25T02:00:00Z'), lastError: 'fetch failed' };
    const sut = new RegistryReadiness({ status: () => status });
    expect(sut.critical).toBe(false);
    await expect(sut.check()).rejects.toThrow('registry unreachable since 2026-11-25T02:00:00.000Z (fetch failed); serving the last known instances');
  });
});
