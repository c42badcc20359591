import { Controller, Get, type INestApplication, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AuthModule } from '@nestkit/auth';
import { TestTokens } from '@nestkit/auth/testing';
import { ProblemDetailsFilter } from '@nestkit/errors';
import { HealthController } from './health.controller';
import { HealthModule } from './health.module';

@Controller('things')
class ThingsController {
  @Get()
  list(): string[] {
    return [];
  }
}

/** Probes carry no credentials: health must answer them even where every other route demands a service token. */
describe(`${HealthController.name} behind a strict caller policy`, () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    const tokens = await TestTokens.create();
    @Module({
      imports: [HealthModule.forRoot(), AuthModule.forRoot({ verifier: tokens.verifier, serviceVerifier: tokens.serviceVerifier('things'), serviceAudience: 'things', requireServiceToken: true })],
      controllers: [ThingsController],
    })
    class StrictModule {}
    app = await NestFactory.create(StrictModule, new FastifyAdapter(), { logger: false });
    app.useGlobalFilters(new ProblemDetailsFilter());
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(async () => app.close());

  it.each(['/health/live', '/health/ready'])('answers %s with no credentials at all', async (path) => {
    expect((await fetch(`${url}${path}`)).status).toBe(200);
  });

  it('while an ordinary route refuses the same call for want of a service token', async () => {
    const response = await fetch(`${url}/things`);
    expect({ status: response.status, body: await response.json() }).toMatchObject({ status: 401, body: { code: 'missing-service-token' } });
  });
});
