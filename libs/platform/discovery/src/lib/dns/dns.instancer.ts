import { AppError, isAppError, UnavailableError, ValidationError } from '@nestkit/errors';
import type { Instancer, InstancesListener } from '../instancer';
import type { ServiceInstance } from '../service-instance';
import type { DnsLookup } from './dns-lookup';
import type { DnsInstancerOptions, DnsInstancerStatus } from './dns-instancer.options';
import { assertNameTemplate, dnsName, kubernetesNameTemplate } from './dns-name';
import { NodeResolverLookup } from './node-resolver.lookup';
import { type DnsQuery, errorCode, resolveDnsInstances } from './resolve-dns-instances';

interface Tracked {
  instances: readonly ServiceInstance[];
  readonly listeners: Set<InstancesListener>;
  first: Promise<void>;
  failure?: string;
  problems: string;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * An {@link Instancer} over DNS (Kubernetes headless services): polls SRV or A/AAAA records of each
 * service it was asked about every `refreshMs` and answers from that cache. A failed lookup keeps the
 * last known list and marks the instancer `degraded`.
 */
export class DnsInstancer implements Instancer {
  private readonly tracked = new Map<string, Tracked>();
  private readonly byId = new Map<string, ServiceInstance>();
  private readonly lookup: DnsLookup;
  private readonly template: string;
  private readonly query: DnsQuery;
  private readonly refreshMs: number;
  private readonly onError: (error: AppError, service: string) => void;
  private readonly onStatusChange: (status: DnsInstancerStatus) => void;
  private current: DnsInstancerStatus = { state: 'connected', since: new Date(), failing: {} };
  private lastError?: string;
  private closed = false;

  constructor(options: DnsInstancerOptions = {}) {
    const record = options.record ?? 'srv';
    this.template = options.name ?? kubernetesNameTemplate({ record });
    assertNameTemplate(this.template);
    this.query = record === 'srv' ? { record, resolveTargets: options.resolveTargets ?? true } : { record, port: fixedPort(options.port) };
    this.refreshMs = options.refreshMs ?? 5_000;
    this.onError = options.onError ?? (() => undefined);
    this.onStatusChange = options.onStatusChange ?? (() => undefined);
    this.lookup = options.lookup ?? new NodeResolverLookup({ servers: options.servers, timeoutMs: options.timeoutMs ?? 1_000, tries: options.tries ?? 2 });
  }

  /** The cached instances; the first call for a service returns `[]` and starts looking it up. */
  instances(service: string): readonly ServiceInstance[] {
    return this.track(service).instances;
  }

  instance(id: string): ServiceInstance | undefined {
    return this.byId.get(id);
  }

  subscribe(service: string, listener: InstancesListener): () => void {
    const tracked = this.track(service);
    tracked.listeners.add(listener);
    listener(tracked.instances);
    return () => void tracked.listeners.delete(listener);
  }

  /** Resolves once the first lookup of `service` has finished, with the list it produced (maybe `[]`). */
  async ready(service: string): Promise<readonly ServiceInstance[]> {
    const tracked = this.track(service);
    await tracked.first;
    return tracked.instances;
  }

  /** `degraded` while the last lookup of any tracked service failed. */
  status(): DnsInstancerStatus {
    return this.current;
  }

  /** Stops polling and aborts the queries in flight; the cache keeps answering. */
  close(): void {
    this.closed = true;
    for (const tracked of this.tracked.values()) clearTimeout(tracked.timer);
    this.lookup.cancel();
  }

  private track(service: string): Tracked {
    let tracked = this.tracked.get(service);
    if (!tracked) {
      tracked = { instances: [], listeners: new Set(), first: Promise.resolve(), problems: '' };
      this.tracked.set(service, tracked);
      if (!this.closed) tracked.first = this.refresh(service, tracked);
    }
    return tracked;
  }

  private async refresh(service: string, tracked: Tracked): Promise<void> {
    const problems: AppError[] = [];
    try {
      const name = dnsName(this.template, service);
      const { instances, rejected } = await resolveDnsInstances(this.lookup, service, name, this.query);
      if (this.closed) return;
      problems.push(...rejected.map((r) => new ValidationError(`Skipped DNS record ${r.record}: ${r.reason}`, [{ path: r.record, message: r.reason }], 'discovery.dns-malformed-record')));
      if (instances.length === 0) throw new UnavailableError(`DNS name ${name} has no usable record`, 'discovery.dns-no-usable-record');
      tracked.failure = undefined;
      this.update(service, tracked, instances);
    } catch (error) {
      if (this.closed) return;
      const failure = isAppError(error) ? error : new UnavailableError(`DNS lookup of ${service} failed: ${errorCode(error)}`, 'discovery.dns-lookup-failed', error);
      tracked.failure = failure.message;
      this.lastError = failure.message;
      problems.push(failure);
    }
    this.updateStatus();
    this.report(service, tracked, problems);
    tracked.timer = setTimeout(() => void this.refresh(service, tracked), this.refreshMs).unref();
  }

  private updateStatus(): void {
    const failing = Object.fromEntries([...this.tracked].flatMap(([service, t]) => (t.failure ? [[service, t.failure]] : [])));
    const state = Object.keys(failing).length > 0 ? 'degraded' : 'connected';
    const lastError = state === 'degraded' ? this.lastError : undefined;
    const changed = state !== this.current.state || lastError !== this.current.lastError;
    const since = state === this.current.state ? this.current.since : new Date();
    this.current = { state, since, failing, ...(lastError === undefined ? {} : { lastError }) };
    if (changed) this.safely(() => this.onStatusChange(this.current));
  }

  private update(service: string, tracked: Tracked, instances: readonly ServiceInstance[]): void {
    if (sameInstances(tracked.instances, instances)) return;
    for (const old of tracked.instances) this.byId.delete(old.id);
    for (const instance of instances) this.byId.set(instance.id, instance);
    tracked.instances = Object.freeze([...instances]);
    for (const listener of [...tracked.listeners]) {
      try {
        listener(tracked.instances);
      } catch (error) {
        this.emit(new AppError(`An instances listener of ${service} threw`, { code: 'discovery.listener-failed', kind: 'internal', cause: error }), service);
      }
    }
  }

  // Polling meets the same problem every few seconds; report it when it starts or changes, not each time.
  private report(service: string, tracked: Tracked, problems: readonly AppError[]): void {
    // Sorted: DNS servers rotate their answers, which must not look like a new problem.
    const key = problems.map((p) => p.message).sort().join('\n');
    if (key === tracked.problems) return;
    tracked.problems = key;
    for (const problem of problems) this.emit(problem, service);
  }

  private emit(error: AppError, service: string): void {
    this.safely(() => this.onError(error, service));
  }

  private safely(report: () => void): void {
    try {
      report();
    } catch {
      // Reporters are the last resort: if one throws, polling must still go on.
    }
  }
}

function fixedPort(port: number | undefined): number {
  if (port !== undefined && Number.isInteger(port) && port >= 1 && port <= 65_535) return port;
  throw new ValidationError('DNS A/AAAA discovery needs the port every instance listens on', [{ path: 'port', message: 'must be between 1 and 65535' }], 'discovery.dns-invalid-options');
}

function sameInstances(a: readonly ServiceInstance[], b: readonly ServiceInstance[]): boolean {
  return a.length === b.length && a.every((x, i) => x.id === b[i].id && JSON.stringify(x.metadata) === JSON.stringify(b[i].metadata));
}
