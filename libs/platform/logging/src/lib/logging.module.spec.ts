import { Writable } from 'node:stream';
import { Controller, Get, Logger as NestLogger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { TraceContextStore } from '@nestkit/tracing';
import { Logger } from 'nestjs-pino';
import { LoggingModule } from './logging.module';

@Controller('things')
class ThingsController {
  private readonly logger = new NestLogger(ThingsController.name);

  @Get()
  list(): { traceId?: string } {
    this.logger.log({ password: 'hunter2' }, 'listing things');
    return { traceId: TraceContextStore.current()?.traceId };
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
    app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { bufferLogs: true });
    app.useLogger(app.get(Logger));
    await app.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('stamps the incoming trace on the request line and on lines logged while handling it', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(`${await app.getUrl()}/things`, {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, authorization: 'Bearer secret-token' },
    });
    expect(await response.json()).toEqual({ traceId });

    const inner = lines.find((l) => l['msg'] === 'listing things');
    const request = lines.find((l) => l['msg'] === 'request completed');
    expect(inner).toMatchObject({ service: 'things', trace_id: traceId, password: '[redacted]' });
    expect(request).toMatchObject({ service: 'things', trace_id: traceId, res: { statusCode: 200 } });
    expect(JSON.stringify(lines)).not.toContain('secret-token');
    expect(JSON.stringify(lines)).not.toContain('hunter2');
  });
});
