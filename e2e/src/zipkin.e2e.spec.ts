import { randomUUID } from 'node:crypto';
import { infraUrls, waitFor } from '@nestkit/testing';
import { call } from './http';
import { PlatformProcess } from './platform-process';

/** A span as Zipkin's v2 API returns it (only the fields looked at). */
interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name?: string;
  kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  timestamp?: number;
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

const zipkin = infraUrls().zipkinUrl;

async function zipkinGet<T>(path: string): Promise<T> {
  const response = await fetch(`${zipkin}${path}`, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`GET ${zipkin}${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

const service = (span: ZipkinSpan) => span.localEndpoint?.serviceName;

/** The span's ancestors within `spans`, nearest first. */
function ancestors(span: ZipkinSpan, spans: readonly ZipkinSpan[]): ZipkinSpan[] {
  const byId = new Map(spans.map((s) => [s.id, s]));
  const out: ZipkinSpan[] = [];
  for (let parent = span.parentId && byId.get(span.parentId); parent; parent = parent.parentId && byId.get(parent.parentId)) out.push(parent);
  return out;
}

/** The platform's spans, exported with OTEL_TRACES_EXPORTER=zipkin, land in a real Zipkin (scripts/infra/zipkin.sh) as one trace per order. */
describe('traces in Zipkin (embedded defaults)', () => {
  let platform: PlatformProcess;
  let api: string;

  beforeAll(async () => {
    // Fail with what to do, not with a fetch error deep in a poll.
    const health = await fetch(`${zipkin}/health`, { signal: AbortSignal.timeout(5_000) }).catch((error: Error) => error);
    if (health instanceof Error || !health.ok) {
      throw new Error(`Zipkin is not reachable at ${zipkin} (${health instanceof Error ? health.message : `GET /health: ${health.status}`}): start it with \`bash scripts/infra/up.sh zipkin\` or set ZIPKIN_URL`);
    }
    platform = await PlatformProcess.start({
      LOG_LEVEL: 'info',
      OTEL_TRACES_EXPORTER: 'zipkin',
      OTEL_EXPORTER_ZIPKIN_ENDPOINT: `${zipkin}/api/v2/spans`,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    api = `${platform.url}/api`;
  });

  afterAll(async () => {
    if (platform) expect(await platform.stop()).toBe(0);
  });

  it('POST /api/orders is one trace in Zipkin: gateway, orders, catalog and notifications spans, every parent present', async () => {
    const user = { email: `zipkin-${randomUUID()}@example.com`, password: `pw-${randomUUID()}` };
    expect((await call(`${api}/identity/register`, { json: user })).status).toBe(201);
    const token = (await call(`${api}/identity/login`, { json: user })).body.accessToken as string;
    const sentAt = Date.now();
    const placed = await call(`${api}/orders`, { token, json: { items: [{ productId: 'p-mouse', quantity: 1 }] } });
    expect(placed.status).toBe(202);
    const answeredAt = Date.now();

    // 1. Search: the gateway's SERVER span of this POST (Zipkin lowercases span names; tags are strings).
    //    The window [sentAt, answeredAt] and this platform's own gateway make it the only one.
    const isRoot = (s: ZipkinSpan) =>
      service(s) === 'gateway' &&
      s.kind === 'SERVER' &&
      s.tags?.['http.request.method'] === 'POST' &&
      (s.tags?.['nestkit.route'] ?? s.tags?.['url.path'] ?? '').includes('/api/orders') &&
      (s.timestamp ?? 0) >= (sentAt - 1) * 1000 &&
      (s.timestamp ?? 0) <= (answeredAt + 1) * 1000;
    const root = await waitFor(
      async () => {
        const query = new URLSearchParams({
          serviceName: 'gateway',
          annotationQuery: 'http.request.method=POST',
          endTs: String(Date.now()),
          lookback: String(Date.now() - sentAt + 60_000),
          limit: '100',
        });
        const traces = await zipkinGet<ZipkinSpan[][]>(`/api/v2/traces?${query}`);
        const roots = traces.flat().filter(isRoot);
        if (roots.length > 1) throw new Error(`${roots.length} gateway SERVER spans of POST /api/orders in the window: ${roots.map((s) => s.traceId).join(', ')}`);
        return roots[0];
      },
      { what: `the gateway's SERVER span of POST /api/orders in Zipkin (${zipkin}/api/v2/traces?serviceName=gateway)`, timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(root.parentId).toBeUndefined();

    // 2. The whole trace, once notifications' consumer span and every span's parent have arrived
    //    (services flush their batches independently).
    const spans = await waitFor(
      async () => {
        const trace = await zipkinGet<ZipkinSpan[]>(`/api/v2/trace/${root.traceId}`);
        const ids = new Set(trace.map((s) => s.id));
        const complete =
          trace.some((s) => service(s) === 'notifications' && s.kind === 'CONSUMER' && s.name === 'process orders.order-confirmed') &&
          trace.every((s) => s.id === root.id || (s.parentId !== undefined && ids.has(s.parentId)));
        return complete ? trace : undefined;
      },
      { what: `every span of trace ${root.traceId} in Zipkin (${zipkin}/api/v2/trace/${root.traceId}), down to notifications' consumer`, timeoutMs: 30_000, intervalMs: 250 },
    );

    expect(spans.length).toBeGreaterThanOrEqual(8);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([root.traceId]));
    expect([...new Set(spans.map(service))]).toEqual(expect.arrayContaining(['gateway', 'orders', 'catalog', 'notifications']));
    // One root; every other span's parent is in the trace, and leads up to the root.
    // (root is the search's copy of the span: compare ids.)
    expect(spans.filter((s) => s.parentId === undefined).map((s) => s.id)).toEqual([root.id]);
    for (const span of spans.filter((s) => s.id !== root.id)) expect(ancestors(span, spans).at(-1)?.id).toBe(root.id);
    // The hop into orders: its SERVER span is the child of the gateway's attempt (CLIENT) span.
    const ordersServer = spans.find((s) => service(s) === 'orders' && s.kind === 'SERVER');
    expect(spans.find((s) => s.id === ordersServer?.parentId)).toMatchObject({ kind: 'CLIENT', localEndpoint: { serviceName: 'gateway' } });
    // Through the bus and the stream: catalog reserves, orders confirms, notifications hears it.
    const consumed = (name: string, type: string) => spans.find((s) => service(s) === name && s.kind === 'CONSUMER' && s.name === `process ${type}`);
    const reservation = consumed('catalog', 'orders.order-placed');
    const confirmation = consumed('orders', 'catalog.stock-reserved');
    const notification = consumed('notifications', 'orders.order-confirmed');
    expect(ancestors(reservation!, spans)).toContain(ordersServer);
    expect(ancestors(confirmation!, spans)).toContain(reservation);
    expect(ancestors(notification!, spans)).toContain(confirmation);
    expect(notification?.tags).toMatchObject({ 'messaging.destination.name': 'orders.order-confirmed' });
  });
});
