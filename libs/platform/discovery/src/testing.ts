export { anInstance } from './lib/instance.fixture';
export { describeInstancer, ids, type InstancerFactory } from './lib/instancer.conformance';
export { describeRegistry, type Registry } from './lib/registry.conformance';
export { type DnsRecords, type RunningDnsmasq, type SrvRecord, startDnsmasq } from './lib/dns/dnsmasq.fixture';
