import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Module } from '@nestjs/common';
import { StaticInstancer } from '@nestkit/discovery';
import { HttpClient } from '@nestkit/http-client';
import { RoundRobinBalancer } from '@nestkit/load-balancing';
import { LoggingModule } from '@nestkit/logging';
import { type RunningService, bootstrapService } from './bootstrap-service';

let downstreamPort = 0;
const seen: string[] = [];

/** A handler that calls another service without naming any deadline: bootstrap's must travel on. */
@Controller('probe')
class ProbeController {
  private readonly client = new HttpClient({
    service: 'down',
    instancer: new StaticInstancer([{ id: 'down-1', service: 'down', host: '127.0.0.1', port: downstreamPort, version: '1', metadata: {}, status: 'up' }]),
    balancer: new RoundRobinBalancer(),
    timeoutMs: 10_000,
  });

  @Get()
  async probe(): Promise<{ deadline: string }> {
    const response = await this.client.request({ path: '/x' });
    return { deadline: response.body.toString('utf8') };
  }
}

@Module({ imports: [LoggingModule.forRoot({ service: 'probe', level: 'silent' })], controllers: [ProbeController] })
class ProbeModule {}

/** Issue 10: services read `x-request-deadline` and pass on what is left of it. */
describe('request deadlines in services', () => {
  let downstream: Server;
  let service: RunningService;

  beforeAll(async () => {
    downstream = createServer((req, res) => {
      seen.push(String(req.headers['x-request-deadline']));
      res.end(String(req.headers['x-request-deadline']));
    });
    downstream.listen(0, '127.0.0.1');
    await once(downstream, 'listening');
    downstreamPort = (downstream.address() as AddressInfo).port;
    service = await bootstrapService({ service: 'probe', module: ProbeModule, host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await service?.close();
    downstream?.close();
  });

  it('passes on what is left of the caller’s budget, not a fresh one of its own', async () => {
    const response = await fetch(`${service.url}/probe`, { headers: { 'x-request-deadline': '800' } });
    expect(response.status).toBe(200);
    const { deadline } = (await response.json()) as { deadline: string };
    expect(Number(deadline)).toBeGreaterThan(0);
    expect(Number(deadline)).toBeLessThanOrEqual(800);
  });

  it('uses its own budget when the caller sent none', async () => {
    const { deadline } = (await (await fetch(`${service.url}/probe`)).json()) as { deadline: string };
    expect(Number(deadline)).toBeGreaterThan(9_000);
  });

  it('answers 504 problem+json to a request whose budget is already spent, without running the handler', async () => {
    const before = seen.length;
    const response = await fetch(`${service.url}/probe`, { headers: { 'x-request-deadline': '0' } });
    expect(response.status).toBe(504);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ code: 'deadline-exceeded' });
    expect(seen.length).toBe(before);
  });
});
