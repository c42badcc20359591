import { ConfigError } from '@nestkit/config';
import { Inject, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { InMemoryBus } from './in-memory/in-memory.bus';
import { MessagingModule } from './messaging.module';
import { MESSAGING_OPTIONS, PUBLISHER, SUBSCRIBER } from './messaging.tokens';
import type { Publisher } from './publisher';
import type { Subscriber } from './subscriber';

@Injectable()
class OrderService {
  constructor(
    @Inject(PUBLISHER) readonly publisher: Publisher,
    @Inject(SUBSCRIBER) readonly subscriber: Subscriber,
  ) {}
}

@Module({ providers: [OrderService] })
class FeatureModule {}

describe(MessagingModule.name, () => {
  it('injects the shared in-memory bus as publisher and subscriber', async () => {
    const app = await NestFactory.createApplicationContext(
      { module: class AppModule {}, imports: [MessagingModule.forRoot({ service: 'orders', backend: 'memory' }), FeatureModule] },
      { logger: false },
    );
    const sut = app.get(OrderService);
    expect(sut.publisher).toBe(InMemoryBus.shared());
    expect(sut.subscriber).toBe(InMemoryBus.shared());
    expect(app.get(MESSAGING_OPTIONS)).toEqual({ service: 'orders', backend: 'memory' });
    await app.close();
  });

  it('defaults to the memory backend', () => {
    const sut = MessagingModule.forRoot({ service: 'orders' });
    expect(sut.providers).toContainEqual({ provide: MESSAGING_OPTIONS, useValue: { service: 'orders', backend: 'memory' } });
  });

  it('rejects an unknown backend naming BUS and the allowed values', () => {
    const build = () => MessagingModule.forRoot({ service: 'orders', backend: 'kafak' });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(/BUS: unknown backend "kafak"; allowed values: memory/);
  });
});
