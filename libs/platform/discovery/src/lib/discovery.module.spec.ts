import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DiscoveryModule, type DiscoveryOptions } from './discovery.module';
import { INSTANCER, REGISTRAR } from './discovery.tokens';
import { InMemoryRegistry } from './in-memory.registry';
import type { Instancer } from './instancer';
import { NoopRegistrar } from './noop.registrar';
import { ServiceRegistration } from './service.registration';
import { StaticInstancer } from './static.instancer';

async function boot(options: DiscoveryOptions) {
  @Module({ imports: [DiscoveryModule.forRoot(options)] })
  class AppModule {}
  return NestFactory.createApplicationContext(AppModule, { logger: false });
}

describe(DiscoveryModule.name, () => {
  it('provides the shared in-memory registry by default for the memory backend', async () => {
    const sut = await boot({ backend: 'memory' });
    expect(sut.get(REGISTRAR)).toBe(InMemoryRegistry.shared());
    expect(sut.get(INSTANCER)).toBe(InMemoryRegistry.shared());
    await sut.close();
  });

  it('provides a static instancer and a no-op registrar for the static backend', async () => {
    const sut = await boot({ backend: 'static', static: 'catalog=127.0.0.1:4002;broken' });
    const instancer = sut.get<Instancer>(INSTANCER);
    expect(instancer).toBeInstanceOf(StaticInstancer);
    expect(instancer.instances('catalog').map((i) => i.port)).toEqual([4002]);
    expect(sut.get(REGISTRAR)).toBeInstanceOf(NoopRegistrar);
    await sut.close();
  });
});

describe(ServiceRegistration.name, () => {
  const self = { service: 'catalog', version: '1.2.0', zone: 'local', metadata: { protocol: 'http' } };

  it('registers at the listening address, drains on shutdown, then deregisters', async () => {
    const registry = new InMemoryRegistry();
    const app = await boot({ backend: 'memory', registry, self });
    const sut = app.get(ServiceRegistration);
    const seen: string[] = [];

    const instance = await sut.start('http://127.0.0.1:41234');
    registry.subscribe('catalog', (list) => seen.push(`${list.length}:${registry.instance(instance.id)?.status ?? 'gone'}`));
    expect(registry.instances('catalog')).toEqual([
      { id: instance.id, service: 'catalog', host: '127.0.0.1', port: 41234, version: '1.2.0', zone: 'local', metadata: { pid: String(process.pid), protocol: 'http' }, status: 'up' },
    ]);

    await app.close();
    expect(seen).toEqual(['1:up', '0:draining']);
    expect(registry.instance(instance.id)).toBeUndefined();
    expect(sut.instance).toBeUndefined();
  });

  it('advertises the configured host instead of a wildcard bind address', async () => {
    const registry = new InMemoryRegistry();
    const app = await boot({ backend: 'memory', registry, self: { ...self, id: 'catalog-1', advertiseHost: 'catalog.internal' } });
    await app.get(ServiceRegistration).start({ host: '0.0.0.0', port: 4002 });
    expect(registry.instance('catalog-1')).toMatchObject({ host: 'catalog.internal', port: 4002 });
    await app.close();
  });

  it('does nothing on shutdown when it never started', async () => {
    const registry = new InMemoryRegistry();
    const app = await boot({ backend: 'memory', registry, self });
    await expect(app.close()).resolves.toBeUndefined();
    expect(registry.instances('catalog')).toEqual([]);
  });
});
