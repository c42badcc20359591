import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CONFIG } from '@nestkit/config';
import { type ExposedRoute, HTTP_METHODS, mergeOpenApi, type OpenApiDocument, OPENAPI_PATH, swaggerUi, type SwaggerUiHandler } from '@nestkit/openapi';
import { INSTANCER, type Instancer } from '@nestkit/discovery';
import { HttpClient } from '@nestkit/http-client';
import { RoundRobinBalancer } from '@nestkit/load-balancing';
import type { GatewayConfig } from '../gateway.config';
import type { RouteTable } from '../routes/route-table';
import { Routes } from '../routes/routes';

/** How often services' documents are fetched again (besides every route table change). */
const REFRESH_MS = 15_000;

/**
 * One OpenAPI document for the gateway's clients at `GET /docs/openapi.json`, with Swagger UI at `/docs`
 * (assets from the swagger-ui-dist package). It merges the document every routed service publishes at
 * `/openapi.json`, with paths as clients see them through the routes, security from each route's auth,
 * and only the operations a route actually exposes. It follows services as they come and go: rebuilt on
 * every route table change and every 15 s; a service that cannot be reached keeps its last document.
 */
@Injectable()
export class ApiDocs implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ApiDocs');
  private readonly documents = new Map<string, OpenApiDocument>();
  private readonly clients = new Map<string, HttpClient>();
  private merged?: OpenApiDocument;
  private timer?: NodeJS.Timeout;
  private stop?: () => void;
  private refreshing?: Promise<void>;
  readonly handle: SwaggerUiHandler;

  constructor(
    private readonly routes: Routes,
    @Inject(INSTANCER) private readonly instancer: Instancer,
    @Inject(CONFIG) private readonly config: GatewayConfig,
  ) {
    this.handle = swaggerUi({ base: '/docs', title: 'Nestkit API', document: () => this.merged });
  }

  onModuleInit(): void {
    this.stop = this.routes.onChange(() => void this.refresh());
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
    void this.refresh();
  }

  async onModuleDestroy(): Promise<void> {
    this.stop?.();
    clearInterval(this.timer);
    await Promise.all([...this.clients.values()].map((client) => client.close()));
  }

  /**
   * A client of its own per service, not the proxy's: documentation fetches must not count in the
   * latencies that time hedges, nor in outlier detection or breakers.
   */
  private clientOf(service: string): HttpClient {
    let client = this.clients.get(service);
    if (!client) {
      client = new HttpClient({ service, instancer: this.instancer, balancer: new RoundRobinBalancer(), timeoutMs: 2_000, connections: 1 });
      this.clients.set(service, client);
    }
    return client;
  }

  /** The merged document now (after the first refresh has finished). */
  async document(): Promise<OpenApiDocument | undefined> {
    await this.refresh();
    return this.merged;
  }

  /** Fetches every routed service's document and merges them; concurrent calls share one refresh. */
  refresh(): Promise<void> {
    this.refreshing ??= this.rebuild().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async rebuild(): Promise<void> {
    const table = this.routes.current;
    const services = [...new Set(table.routes.map((route) => route.service))].sort();
    await Promise.all(
      services.map(async (service) => {
        try {
          const response = await this.clientOf(service).request({ path: OPENAPI_PATH });
          if (response.status !== 200) throw new Error(`answered ${response.status}`);
          const document = JSON.parse(response.body.toString('utf8')) as Partial<OpenApiDocument>;
          if (typeof document.openapi !== 'string' || !document.openapi.startsWith('3.') || typeof document.paths !== 'object' || document.paths === null) {
            throw new Error('its /openapi.json is not an OpenAPI 3 document');
          }
          this.documents.set(service, document as OpenApiDocument);
        } catch (error) {
          if (!this.documents.has(service)) this.logger.debug(`no OpenAPI document from ${service}: ${(error as Error).message}`);
        }
      }),
    );
    for (const service of this.documents.keys()) if (!services.includes(service)) this.documents.delete(service);
    for (const [service, client] of this.clients) {
      if (services.includes(service)) continue;
      this.clients.delete(service);
      void client.close();
    }
    const inputs = [...this.documents].map(([service, document]) => ({ service, document, routes: exposedRoutes(table, service) }));
    try {
      this.merged = exposedOnly(mergeOpenApi(inputs, { title: 'Nestkit API', version: this.config.SERVICE_VERSION }, { edgeProblems: [429, 502, 503, 504] }), table);
    } catch (error) {
      this.logger.error(`could not merge the services' OpenAPI documents: ${(error as Error).message}`);
    }
  }
}

/** One exposure per path rewrite the service's routes use; public-ness decided by the table itself. */
function exposedRoutes(table: RouteTable, service: string): ExposedRoute[] {
  const rewrites = new Map<string, ExposedRoute>();
  for (const route of table.routes) {
    if (route.service !== service) continue;
    const key = `${route.stripPrefix} ${route.addPrefix}`;
    if (rewrites.has(key)) continue;
    rewrites.set(key, {
      publicPrefix: route.stripPrefix,
      upstreamPrefix: route.addPrefix,
      public: (method, servicePath) => {
        const match = table.match(method, samplePath(route.stripPrefix + servicePath.slice(route.addPrefix.length)), '');
        return match !== undefined && match.route.service === service && match.route.access === undefined;
      },
    });
  }
  return [...rewrites.values()];
}

/** Drops the operations no route exposes (a service may document more than the gateway routes). */
function exposedOnly(document: OpenApiDocument, table: RouteTable): OpenApiDocument {
  const paths: NonNullable<OpenApiDocument['paths']> = {};
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    const kept: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(item ?? {})) {
      const method = key.toUpperCase();
      if (!(HTTP_METHODS as readonly string[]).includes(key)) kept[key] = value;
      else if (table.match(method, samplePath(path), '')) kept[key] = value;
    }
    if (Object.keys(kept).some((key) => (HTTP_METHODS as readonly string[]).includes(key))) paths[path] = kept as never;
  }
  return { ...document, paths };
}

/** `/products/{id}` as a concrete path that matches the same routes. */
function samplePath(template: string): string {
  return template.replace(/\{[^}]+\}/g, 'x');
}
