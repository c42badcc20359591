import { randomUUID } from 'node:crypto';
import { OtlpReceiver, type ReceivedSpan, waitFor } from '@nestkit/testing';
import { call } from './http';
import { messagingProfiles } from './messaging-profiles';
import { PlatformProcess } from './platform-process';

const SERVER = 2;
const CLIENT = 3;
const CONSUMER = 5;

const PROFILES = messagingProfiles('e2e-trace');

/** The span's ancestors within `spans`, nearest first. */
function ancestors(span: ReceivedSpan, spans: readonly ReceivedSpan[]): ReceivedSpan[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const out: ReceivedSpan[] = [];
  for (let parent = span.parentSpanId && byId.get(span.parentSpanId); parent; parent = parent.parentSpanId && byId.get(parent.parentSpanId)) out.push(parent);
  return out;
}

/** Issue 11: one order is one trace, across HTTP and both brokers, and every log line of it carries its id. */
describe.each(PROFILES)('one trace per order (%s)', (_profile, env) => {
  let receiver: OtlpReceiver;
  let platform: PlatformProcess;
  let api: string;

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    platform = await PlatformProcess.start({
      ...env,
      LOG_LEVEL: 'info',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    api = `${platform.url}/api`;
  });

  afterAll(async () => {
    expect(await platform?.stop()).toBe(0);
    await receiver?.stop();
  });

  it('POST /api/orders: gateway -> orders -> (bus) -> catalog -> (bus) -> orders -> (stream) -> notifications, parents linked', async () => {
    const user = { email: `trace-${randomUUID()}@example.com`, password: `pw-${randomUUID()}` };
    expect((await call(`${api}/identity/register`, { json: user })).status).toBe(201);
    const token = (await call(`${api}/identity/login`, { json: user })).body.accessToken as string;
    const placed = await call(`${api}/orders`, { token, json: { items: [{ productId: 'p-mouse', quantity: 1 }] } });
    expect(placed.status).toBe(202);
    const orderId = placed.body.id as string;

    const root = await waitFor(
      async () => receiver.spans.find((s) => s.service === 'gateway' && s.kind === SERVER && s.attributes['http.request.method'] === 'POST' && String(s.attributes['nestkit.route']).includes('/api/orders')),
      { what: "the gateway's SERVER span of POST /api/orders", timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(root.parentSpanId).toBeUndefined();
    // Complete: notifications handled the confirmation, and every span's parent arrived too.
    const spans = await waitFor(
      async () => {
        const trace = receiver.trace(root.traceId);
        const ids = new Set(trace.map((s) => s.spanId));
        const done = trace.some((s) => s.service === 'notifications' && s.name === 'process orders.order-confirmed') && trace.every((s) => s === root || (s.parentSpanId !== undefined && ids.has(s.parentSpanId)));
        return done ? trace : undefined;
      },
      { what: `every span of trace ${root.traceId}, down to notifications' consumer`, timeoutMs: 30_000, intervalMs: 200 },
    );

    expect(spans.length).toBeGreaterThanOrEqual(8);
    // (identity too: orders exchanges the user's token for one that signs the event on their behalf.)
    expect([...new Set(spans.map((s) => s.service))]).toEqual(expect.arrayContaining(['gateway', 'orders', 'catalog', 'notifications']));
    // The hop into orders: its SERVER span is the child of the gateway's attempt (CLIENT) span.
    const ordersServer = spans.find((s) => s.service === 'orders' && s.kind === SERVER);
    const attempt = spans.find((s) => s.spanId === ordersServer?.parentSpanId);
    expect(attempt).toMatchObject({ service: 'gateway', kind: CLIENT });
    expect(ancestors(ordersServer!, spans).at(-1)).toBe(root);
    // Each consumer continues the trace of the message's producer, through the outbox and the brokers:
    // catalog reserves the stock of the placed order, orders' saga confirms on the reservation, and
    // notifications hears the confirmation on the stream.
    const consumed = (service: string, type: string) => spans.find((s) => s.service === service && s.kind === CONSUMER && s.name === `process ${type}`);
    const reservation = consumed('catalog', 'orders.order-placed');
    const confirmation = consumed('orders', 'catalog.stock-reserved');
    const notification = consumed('notifications', 'orders.order-confirmed');
    expect(ancestors(reservation!, spans)).toContain(ordersServer);
    expect(ancestors(confirmation!, spans)).toContain(reservation);
    expect(ancestors(notification!, spans)).toContain(confirmation);
    expect(notification?.attributes).toMatchObject({ 'messaging.destination.name': 'orders.order-confirmed', 'messaging.operation.type': 'process' });
    // The relay's publish spans (their own traces, on a timer) link to the context each message was written in.
    expect(receiver.spans.some((s) => s.name.startsWith('publish ') && s.links.some((link) => link.traceId === root.traceId))).toBe(true);

    // Every log line about this order, in every service, carries the trace id (catalog's "stock reserved",
    // orders' "order settled", notifications' "notification recorded" among them).
    const lines = await waitFor(
      async () => {
        const about = platform.logs
          .split('\n')
          .filter((line) => line.includes(orderId) && line.trimStart().startsWith('{'))
          .map((line) => JSON.parse(line) as { service?: string; msg?: string; trace_id?: string });
        return ['catalog', 'orders', 'notifications'].every((service) => about.some((line) => line.service === service)) ? about : undefined;
      },
      { what: `log lines about order ${orderId} from catalog, orders and notifications`, timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining(['stock reserved', 'order settled', 'notification recorded']));
    expect(lines.filter((line) => line.trace_id !== root.traceId)).toEqual([]);
  });
});
