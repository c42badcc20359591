import type { ServiceInstance } from './service-instance';

/** Builds a valid `up` instance for tests; `id` defaults to `<service>-<port>`. */
export function anInstance(overrides: Partial<ServiceInstance> = {}): ServiceInstance {
  const service = overrides.service ?? 'catalog';
  const port = overrides.port ?? 4002;
  return { id: `${service}-${port}`, service, host: '127.0.0.1', port, version: '1.0.0', metadata: {}, status: 'up', ...overrides };
}
