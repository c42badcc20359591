import { Controller, Get, Module, Param } from '@nestjs/common';
import { LoggingModule } from '@nestkit/logging';
import { parentOf, recordSpans, spansNamed } from '@nestkit/tracing/testing';
import { type RunningService, bootstrapService } from './bootstrap-service';

const spans = recordSpans();

@Controller('things')
class ThingsController {
  @Get(':id')
  one(@Param('id') id: string): { id: string } {
    return { id };
  }
}

@Module({ imports: [LoggingModule.forRoot({ service: 'things', level: 'silent' })], controllers: [ThingsController] })
class ThingsModule {}

/** Issue 11: every service has a SERVER span per request and serves its metrics at GET /metrics. */
describe('server spans and GET /metrics', () => {
  let shared: RunningService;
  let separate: RunningService;

  beforeAll(async () => {
    shared = await bootstrapService({ service: 'things', module: ThingsModule, host: '127.0.0.1', port: 0 });
    separate = await bootstrapService({ service: 'things', module: ThingsModule, host: '127.0.0.1', port: 0, metricsPort: 0 });
  });

  afterAll(async () => {
    await shared?.close();
    await separate?.close();
  });

  it("continues the caller's trace in a SERVER span named by the route pattern, never the raw path", async () => {
    spans.reset();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(`${shared.url}/things/42`, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expect(response.status).toBe(200);
    const [server] = spansNamed(spans.getFinishedSpans(), 'GET /things/:id');
    expect(server?.spanContext().traceId).toBe(traceId);
    expect(parentOf(server!)).toBe('00f067aa0ba902b7');
    expect(server?.attributes).toMatchObject({ 'http.route': '/things/:id', 'http.response.status_code': 200, 'url.path': '/things/42' });
  });

  it('counts requests per route pattern in OpenMetrics, with the trace id as exemplar', async () => {
    for (const id of ['a', 'b', 'c']) expect((await fetch(`${shared.url}/things/${id}`)).status).toBe(200);
    const scrape = await fetch(`${shared.metricsUrl}/metrics`);
    expect(scrape.headers.get('content-type')).toMatch(/^application\/openmetrics-text/);
    const text = await scrape.text();
    const count = /http_server_request_duration_seconds_count\{method="GET",route="\/things\/:id",status_code="200"\} (\d+)/.exec(text);
    expect(Number(count?.[1])).toBeGreaterThanOrEqual(3);
    expect(text).not.toMatch(/route="\/things\/(a|b|c|42)"/);
    expect(text).toMatch(/http_server_request_duration_seconds_bucket\{[^}]*route="\/things\/:id"[^}]*\} \d+ # \{trace_id="[0-9a-f]{32}"\}/);
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('serves /metrics only on METRICS_PORT when one is set', async () => {
    expect(separate.metricsUrl).not.toBe(separate.url);
    expect((await fetch(`${separate.metricsUrl}/metrics`)).status).toBe(200);
    expect((await fetch(`${separate.url}/metrics`)).status).toBe(404);
  });
});
