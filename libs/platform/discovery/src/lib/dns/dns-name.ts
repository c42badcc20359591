import { ValidationError } from '@nestkit/errors';

/** The placeholder a name template must contain; replaced by the service name. */
export const SERVICE_PLACEHOLDER = '{service}';

/** Where a Kubernetes headless service lives, for {@link kubernetesNameTemplate}. */
export interface KubernetesName {
  /** Which record the template is for: the SRV name has the `_port._proto.` prefix, A/AAAA names do not. */
  readonly record: 'srv' | 'a' | 'aaaa';
  readonly namespace?: string;
  /** The service port's `name` in its manifest; Kubernetes publishes SRV records per named port. */
  readonly portName?: string;
  readonly protocol?: 'tcp' | 'udp';
  readonly clusterDomain?: string;
}

// One DNS label (RFC 1123): what Kubernetes allows as a service name.
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * Builds the name template Kubernetes publishes a headless service under, e.g.
 * `_http._tcp.{service}.default.svc.cluster.local` for SRV, `{service}.default.svc.cluster.local` for A.
 */
export function kubernetesNameTemplate(options: KubernetesName): string {
  const { namespace = 'default', portName = 'http', protocol = 'tcp', clusterDomain = 'cluster.local' } = options;
  const host = `${SERVICE_PLACEHOLDER}.${namespace}.svc.${clusterDomain}`;
  return options.record === 'srv' ? `_${portName}._${protocol}.${host}` : host;
}

/** Throws a {@link ValidationError} unless `template` contains `{service}` exactly once. */
export function assertNameTemplate(template: string): void {
  if (template.split(SERVICE_PLACEHOLDER).length !== 2) {
    throw new ValidationError(`DNS name template must contain ${SERVICE_PLACEHOLDER} once: "${template}"`, [
      { path: 'name', message: `must contain ${SERVICE_PLACEHOLDER} once` },
    ], 'discovery.dns-invalid-options');
  }
}

/** Returns the DNS name to query for `service`; throws a {@link ValidationError} if it is not a DNS label. */
export function dnsName(template: string, service: string): string {
  if (!LABEL.test(service)) {
    throw new ValidationError(`"${service}" is not a DNS label, so it cannot be looked up`, [
      { path: 'service', message: 'must be letters, digits and inner hyphens, at most 63 characters' },
    ], 'discovery.dns-invalid-service');
  }
  return template.replace(SERVICE_PLACEHOLDER, service.toLowerCase());
}
