import { Writable } from 'node:stream';
import { Controller, Get, Logger as NestLogger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { activeTraceIds, endServerSpan, startServerSpan, startTelemetry } from '@nestkit/tracing';
import { context } from '@opentelemetry/api';
import { Logger } from 'nestjs-pino';
import { LoggingModule } from './logging.module';

@Controller('things')
class ThingsController {
  private readonly logger = new NestLogger(ThingsController.name);

  @Get()
  list(): { traceId?: string } {
    this.logger.log({ password: 'hunter2' }, 'listing things');
    this.logger.log(
      {
        grant: { client_secret: 'cs-1', subject_token: 'st-1', access_token: 'at-1' },
        SERVICE_CLIENTS: [{ id: 'orders', secretHash: '$argon2id$hash-1' }],
        provider: { clientSecret: 'cs-2' },
        secretHash: '$argon2id$hash-2',
      },
      'issuing a token',
    );
    return { traceId: activeTraceIds()?.trace_id };
  }
}

describe(LoggingModule.name, () => {
  const lines: Record<string, unknown>[] = [];
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    @Module({ imports: [LoggingModule.forRoot({ service: 'things', level: 'info', destination })], controllers: [ThingsController] })
    class AppModule {}
    startTelemetry({ service: 'things', env: {} });
    app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { bufferLogs: true });
    app.useLogger(app.get(Logger));
    // What bootstrap does for every service: the request runs inside its SERVER span (tracing owns it).
    const fastify = app.getHttpAdapter().getInstance();
    fastify.addHook('onRequest', (request, _reply, done) => context.with(startServerSpan(request.raw).context, done));
    fastify.addHook('onResponse', (request, reply, done) => {
      endServerSpan(request.raw, reply.statusCode, request.routeOptions.url);
      done();
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('stamps the incoming trace on the request line and on lines logged while handling it', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(`${await app.getUrl()}/things`, {
      headers: {
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        authorization: 'Bearer secret-token',
        'x-service-authorization': 'Bearer service-secret-token',
      },
    });
    expect(await response.json()).toEqual({ traceId });

    const inner = lines.find((l) => l['msg'] === 'listing things');
    const request = lines.find((l) => l['msg'] === 'request completed');
    expect(inner).toMatchObject({ service: 'things', trace_id: traceId, password: '[redacted]' });
    expect(inner?.['span_id']).toMatch(/^[0-9a-f]{16}$/);
    expect(inner?.['span_id']).not.toBe('00f067aa0ba902b7');
    expect(request).toMatchObject({ service: 'things', trace_id: traceId, span_id: inner?.['span_id'], res: { statusCode: 200 } });
    expect(JSON.stringify(lines)).not.toContain('secret-token');
    expect(JSON.stringify(lines)).not.toContain('hunter2');
  });

  it("redacts the calling service's token header, client secrets, token-exchange subjects and secret hashes", () => {
    const request = lines.find((l) => l['msg'] === 'request completed') as { req: { headers: Record<string, string> } };
    const issuing = lines.find((l) => l['msg'] === 'issuing a token');
    expect(request.req.headers).toMatchObject({ authorization: '[redacted]', 'x-service-authorization': '[redacted]' });
    expect(issuing).toMatchObject({
      grant: { client_secret: '[redacted]', subject_token: '[redacted]', access_token: '[redacted]' },
      SERVICE_CLIENTS: [{ id: 'orders', secretHash: '[redacted]' }],
      provider: { clientSecret: '[redacted]' },
      secretHash: '[redacted]',
    });
    for (const secret of ['service-secret-token', 'cs-1', 'cs-2', 'st-1', 'at-1', 'hash-1', 'hash-2']) expect(JSON.stringify(lines)).not.toContain(secret);
  });
});
