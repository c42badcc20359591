import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CONFIG } from '@nestkit/config';
import { INSTANCER, type Instancer, serviceDirectoryOf } from '@nestkit/discovery';
import { PendingTracker } from '@nestkit/load-balancing';
import type { GatewayConfig } from '../gateway.config';
import type { RouteSpec } from './route.schema';
import { announcedRoutes, readRoutesFile, routesFileExists, watchRoutesFile } from './route-sources';
import { type RejectedRoute, type RouteDefaults, RouteTable } from './route-table';

/** Default routes file, relative to the working directory (the repository root under `npm start`, /app in the image). */
export const DEFAULT_ROUTES_FILE = 'config/gateway.routes.yaml';

/**
 * The gateway's live routing table: the routes file merged with the routes services announce, rebuilt
 * when either changes and swapped in atomically, so a reload never drops a request (a request keeps the
 * route it matched). A routes file that fails validation at boot stops the boot with every problem
 * named; one that fails on reload is logged and the table in force stays.
 */
@Injectable()
export class Routes implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Routes');
  private table: RouteTable;
  private fileRoutes: RouteSpec[] = [];
  private announcedSignature = '';
  private readonly reported = new Set<string>();
  private readonly listeners = new Set<(table: RouteTable) => void>();
  private readonly pending = new Map<string, PendingTracker>();
  private readonly defaults: RouteDefaults;
  private readonly stops: (() => void)[] = [];
  /** The last reload error, shown by `GET /api/_platform/routes`; cleared by a good reload. */
  lastError?: string;

  constructor(
    @Inject(CONFIG) private readonly config: GatewayConfig,
    @Inject(INSTANCER) private readonly instancer: Instancer,
  ) {
    this.defaults = {
      timeoutMs: config.UPSTREAM_TIMEOUT_MS,
      bodyLimitBytes: config.BODY_LIMIT_BYTES,
      zone: config.ZONE,
      pendingOf: (service) => this.pendingOf(service),
    };
    this.table = RouteTable.build([], this.defaults);
  }

  /** The table in force. */
  get current(): RouteTable {
    return this.table;
  }

  /** Calls in flight per upstream, shared by least-pending/p2c balancers and the upstream's client. */
  pendingOf(service: string): PendingTracker {
    let tracker = this.pending.get(service);
    if (!tracker) {
      tracker = new PendingTracker();
      this.pending.set(service, tracker);
    }
    return tracker;
  }

  /** Calls `listener` with every new table (e.g. to rebuild the merged OpenAPI document). */
  onChange(listener: (table: RouteTable) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onModuleInit(): void {
    const file = this.file();
    if (file) {
      this.fileRoutes = readRoutesFile(file); // throws at boot: a broken file must not start a gateway
      this.stops.push(watchRoutesFile(file, () => this.reloadFile(file)));
    }
    const directory = serviceDirectoryOf(this.instancer);
    if (directory) {
      let timer: NodeJS.Timeout | undefined;
      const off = directory.onChange(() => {
        clearTimeout(timer);
        timer = setTimeout(() => this.rebuild(), 25);
      });
      this.stops.push(() => {
        clearTimeout(timer);
        off();
      });
    } else {
      this.logger.log('the discovery backend cannot list services (DNS): only the routes file is routed');
    }
    this.rebuild(true);
  }

  onModuleDestroy(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  /** Re-reads the routes file now (the watcher calls this; tests and the console may too). */
  reloadFile(file = this.file()): boolean {
    if (!file) return false;
    try {
      this.fileRoutes = readRoutesFile(file);
    } catch (error) {
      this.lastError = (error as Error).message;
      this.logger.error(`${this.lastError}; the routes in force stay`);
      return false;
    }
    this.lastError = undefined;
    this.rebuild(true);
    this.logger.log(`routes file ${file} reloaded: ${this.table.routes.length} routes in force`);
    return true;
  }

  private file(): string | undefined {
    const configured = this.config.GATEWAY_ROUTES_FILE;
    if (configured) return configured; // an explicit file must exist: readRoutesFile says so at boot
    if (routesFileExists(DEFAULT_ROUTES_FILE)) return DEFAULT_ROUTES_FILE;
    this.logger.log(`no ${DEFAULT_ROUTES_FILE} here and GATEWAY_ROUTES_FILE is not set: routing what services announce`);
    return undefined;
  }

  private rebuild(force = false): void {
    const directory = serviceDirectoryOf(this.instancer);
    const announced = directory ? announcedRoutes(directory) : { entries: [], rejected: [], signature: '' };
    if (!force && announced.signature === this.announcedSignature) return;
    this.announcedSignature = announced.signature;
    const rejected: RejectedRoute[] = [...announced.rejected];
    const entries = [...this.fileRoutes.map((spec) => ({ spec, origin: 'file' as const })), ...announced.entries];
    this.table = RouteTable.build(entries, this.defaults, rejected);
    for (const refused of rejected) {
      const line = `${refused.origin} ${refused.path}: ${refused.reason}`;
      if (this.reported.has(line)) continue;
      this.reported.add(line);
      this.logger.warn(`route not added: ${line}`);
    }
    for (const listener of this.listeners) listener(this.table);
  }
}
