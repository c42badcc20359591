import { randomUUID } from 'node:crypto';
import { NotFoundError } from '@nestkit/errors';
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type ClientProxy, ClientsModule, Ctx, MessagePattern, type MicroserviceOptions, Payload } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { lastValueFrom, of } from 'rxjs';
import { z } from 'zod';
import { InMemoryBus } from '../in-memory/in-memory.bus';
import { MessagingModule } from '../messaging.module';
import { MESSAGING_OPTIONS, type MessagingModuleOptions, PUBLISHER, SUBSCRIBER } from '../messaging.tokens';
import type { Publisher } from '../publisher';
import type { Subscriber } from '../subscriber';
import { MessagingClient } from './messaging.client';
import { MessagingContext } from './messaging.context';
import { OnRequest } from './messaging-handler.decorators';
import { MessagingRecord } from './messaging.record';
import { MessagingTransport } from './messaging.transport';
import { RemoteHandlerError } from './remote-handler.error';

const ReserveStock = {
  type: 'test.reserve-stock',
  version: 1,
  schema: z.object({ sku: z.string().min(1), quantity: z.number().int().min(1) }),
} as const;
type ReserveStock = z.infer<typeof ReserveStock.schema>;

const CountStock = { type: 'test.count-stock', version: 1, schema: z.object({ sku: z.string() }) } as const;

@Controller()
class StockRequests {
  @OnRequest(ReserveStock)
  async reserve(@Payload() request: ReserveStock, @Ctx() ctx: MessagingContext) {
    if (request.sku === 'missing') throw new NotFoundError(`product ${request.sku} does not exist`, 'catalog.product-not-found');
    if (request.sku === 'crash') throw new Error('connection to postgres://admin:hunter2@db failed');
    const { correlationId, producer } = ctx.getEnvelope();
    return { reserved: request.quantity, correlationId, producer };
  }

  @MessagePattern(CountStock.type)
  count() {
    return of(1, 2, 3);
  }
}

describe(`${MessagingTransport.name} + ${MessagingClient.name}`, () => {
  let bus: InMemoryBus;
  let server: INestMicroservice;
  let client: MessagingClient;

  beforeEach(async () => {
    bus = new InMemoryBus();
    const strategy = new MessagingTransport({ subscriber: bus, publisher: bus, service: 'catalog', contracts: [CountStock] });
    server = await NestFactory.createMicroservice<MicroserviceOptions>(
      { module: class CatalogModule {}, controllers: [StockRequests] },
      { strategy, logger: false },
    );
    await server.listen();
    client = new MessagingClient({ publisher: bus, subscriber: bus, service: 'orders', contracts: [ReserveStock] });
  });
  afterEach(async () => {
    await client.close();
    await server.close();
    await bus.close();
  });

  it('round-trips a request, carrying the correlation id to the handler', async () => {
    const reply = await lastValueFrom(client.send(ReserveStock.type, new MessagingRecord({ sku: 'a', quantity: 2 }, { correlationId: 'flow-1' })));
    expect(reply).toEqual({ reserved: 2, correlationId: 'flow-1', producer: 'orders' });
  });

  it('accepts the contract itself as the pattern', async () => {
    const reply = await lastValueFrom(client.send(ReserveStock, { sku: 'a', quantity: 3 }));
    expect(reply).toMatchObject({ reserved: 3 });
  });

  it("answers a plain @MessagePattern with the handler's last value", async () => {
    expect(await lastValueFrom(client.send(CountStock, { sku: 'a' }))).toBe(3);
  });

  it("rejects with the remote AppError's message, code and kind", async () => {
    const reply = lastValueFrom(client.send(ReserveStock.type, { sku: 'missing', quantity: 1 }));
    await expect(reply).rejects.toBeInstanceOf(RemoteHandlerError);
    await expect(reply).rejects.toMatchObject({
      message: 'product missing does not exist',
      code: 'catalog.product-not-found',
      kind: 'not-found',
      retryable: false,
      pattern: ReserveStock.type,
    });
  });

  it('rejects an unexpected remote fault as an opaque internal error, without its internals', async () => {
    const failure = await lastValueFrom(client.send(ReserveStock.type, { sku: 'crash', quantity: 1 })).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'internal', kind: 'internal', message: 'An unexpected error occurred in catalog handling "test.reserve-stock".' });
    expect(String((failure as Error).message)).not.toContain('hunter2');
  });

  it('answers a request its contract rejects with a validation error naming the field, without calling the handler', async () => {
    const loose = { ...ReserveStock, schema: z.object({ sku: z.string(), quantity: z.number() }) };
    const reply = lastValueFrom(client.send(loose, { sku: 'a', quantity: 0.5 }));
    await expect(reply).rejects.toMatchObject({ kind: 'validation', message: 'Invalid test.reserve-stock request: quantity', issues: [{ path: 'quantity' }] });
  });

  it('answers each request once, and no request is left waiting', async () => {
    const replies = await Promise.all([1, 2, 3].map((quantity) => lastValueFrom(client.send(ReserveStock, { sku: 'a', quantity }))));
    expect(replies.map((r) => (r as { reserved: number }).reserved)).toEqual([1, 2, 3]);
    await bus.idle();
    expect(bus.deadLetters()).toEqual([]);
  });
});

describe('MessagingTransport in a hybrid app, with MessagingClient from ClientsModule', () => {
  it('serves requests through the MessagingModule ports', async () => {
    const Ping = { type: `test.ping-${randomUUID()}`, version: 1, schema: z.object({ n: z.number() }) } as const;
    const CATALOG = Symbol('CATALOG');

    @Controller()
    class PingRequests {
      @OnRequest(Ping)
      ping(@Payload() { n }: { n: number }) {
        return { pong: n + 1 };
      }
    }

    @Module({
      imports: [
        MessagingModule.forRoot({ service: 'catalog' }),
        ClientsModule.registerAsync([
          {
            name: CATALOG,
            inject: [PUBLISHER, SUBSCRIBER, MESSAGING_OPTIONS],
            useFactory: (publisher: Publisher, subscriber: Subscriber, { service }: MessagingModuleOptions) => ({
              customClass: MessagingClient,
              options: { publisher, subscriber, service, contracts: [Ping] },
            }),
          },
        ]),
      ],
      controllers: [PingRequests],
    })
    class CatalogAppModule {}

    const app = await NestFactory.create(CatalogAppModule, new FastifyAdapter(), { logger: false });
    app.connectMicroservice<MicroserviceOptions>({
      strategy: new MessagingTransport({ subscriber: app.get(SUBSCRIBER), publisher: app.get(PUBLISHER), service: 'catalog' }),
    });
    await app.startAllMicroservices();
    await app.init();
    try {
      const sut = app.get<ClientProxy>(CATALOG);
      expect(await lastValueFrom(sut.send(Ping.type, { n: 41 }))).toEqual({ pong: 42 });
    } finally {
      await app.close();
    }
  });
});
