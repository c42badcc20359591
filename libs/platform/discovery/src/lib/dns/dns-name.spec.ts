import { ValidationError } from '@nestkit/errors';
import { assertNameTemplate, dnsName, kubernetesNameTemplate } from './dns-name';

describe(kubernetesNameTemplate.name, () => {
  it('builds the SRV name of a named port in the default namespace', () => {
    expect(kubernetesNameTemplate({ record: 'srv' })).toBe('_http._tcp.{service}.default.svc.cluster.local');
  });

  it('builds A/AAAA names without the port prefix, honouring every option', () => {
    expect(kubernetesNameTemplate({ record: 'a', namespace: 'shop', clusterDomain: 'k8s.example' })).toBe('{service}.shop.svc.k8s.example');
    expect(kubernetesNameTemplate({ record: 'srv', portName: 'grpc', protocol: 'udp', namespace: 'shop' })).toBe('_grpc._udp.{service}.shop.svc.cluster.local');
  });
});

describe(assertNameTemplate.name, () => {
  it('accepts a template with one placeholder', () => {
    expect(() => assertNameTemplate('{service}.internal')).not.toThrow();
  });

  it.each(['catalog.internal', '{service}.{service}.internal'])('rejects %s', (template) => {
    expect(() => assertNameTemplate(template)).toThrow(ValidationError);
  });
});

describe(dnsName.name, () => {
  it('puts the service into the template, lower-cased as DNS compares names', () => {
    expect(dnsName('_http._tcp.{service}.default.svc.cluster.local', 'Catalog')).toBe('_http._tcp.catalog.default.svc.cluster.local');
  });

  it.each(['', 'has.dot', 'under_score', '-leading', 'a'.repeat(64)])('rejects the service name "%s"', (service) => {
    expect(() => dnsName('{service}.internal', service)).toThrow(expect.objectContaining({ code: 'discovery.dns-invalid-service' }));
  });
});
