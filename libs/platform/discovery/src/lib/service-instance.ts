/** Whether an instance takes new traffic (`up`) or is finishing in-flight work before it stops (`draining`). */
export type InstanceStatus = 'up' | 'draining';

/** One running copy of a service, as published in the registry. */
export interface ServiceInstance {
  /** Unique across all services, stable for the life of the process. */
  readonly id: string;
  readonly service: string;
  readonly host: string;
  readonly port: number;
  readonly version: string;
  readonly zone?: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly status: InstanceStatus;
}

/** Returns the base URL of an instance, `http://host:port`, bracketing IPv6 hosts. */
export function instanceUrl(instance: Pick<ServiceInstance, 'host' | 'port'>): string {
  const host = instance.host.includes(':') && !instance.host.startsWith('[') ? `[${instance.host}]` : instance.host;
  return `http://${host}:${instance.port}`;
}
