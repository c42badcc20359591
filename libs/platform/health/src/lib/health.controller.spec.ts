import { Injectable, Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { HealthController } from './health.controller';
import { HealthModule } from './health.module';
import { LifecycleState } from './lifecycle.state';
import type { ReadinessIndicator } from './readiness-indicator';

const state = { database: true, registry: true };

@Injectable()
class DatabaseIndicator implements ReadinessIndicator {
  readonly name = 'database';
  async check(): Promise<void> {
    if (!state.database) throw new Error('connection refused');
  }
}

@Injectable()
class RegistryIndicator implements ReadinessIndicator {
  readonly name = 'registry';
  readonly critical = false;
  async check(): Promise<void> {
    if (!state.registry) throw new Error('etcd unreachable; serving the last known instances');
  }
}

describe(HealthController.name, () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    app = await NestFactory.create(HealthModule.forRoot({ indicators: [DatabaseIndicator, RegistryIndicator] }), new FastifyAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(async () => app.close());
  beforeEach(() => Object.assign(state, { database: true, registry: true }));

  const ready = async () => {
    const response = await fetch(`${url}/health/ready`);
    return { status: response.status, body: await response.json() };
  };

  it('is live and ready when every dependency answers', async () => {
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    expect(await ready()).toMatchObject({ status: 200, body: { status: 'ok', info: { database: { status: 'up' } } } });
  });

  it('is not ready when a critical dependency fails, and says which and why', async () => {
    state.database = false;
    expect(await ready()).toMatchObject({ status: 503, body: { error: { database: { status: 'down', message: 'connection refused' } } } });
  });

  it('stays ready but reports degraded when a non-critical dependency fails', async () => {
    state.registry = false;
    expect(await ready()).toMatchObject({
      status: 200,
      body: { info: { registry: { status: 'up', degraded: true, message: 'etcd unreachable; serving the last known instances' } } },
    });
  });

  it('is not ready once draining has begun', async () => {
    await app.get(LifecycleState).beforeApplicationShutdown('SIGTERM');
    expect((await ready()).status).toBe(503);
  });
});
