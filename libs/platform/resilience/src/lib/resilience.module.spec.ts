import 'reflect-metadata';
import { UnavailableError } from '@nestkit/errors';
import { Injectable } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ResilienceModule } from './resilience.module';
import { Resilient } from './resilient.decorator';
import { UpstreamPolicies } from './upstream.policies';

@Injectable()
class CatalogClient {
  calls = 0;
  contexts: unknown[] = [];

  @Resilient('catalog', { idempotent: true })
  async product(id: string, context?: { attempt?: number; signal: AbortSignal }): Promise<string> {
    this.calls++;
    this.contexts.push(context?.attempt);
    if (this.calls < 2) throw new UnavailableError('catalog is down');
    return `product ${id}`;
  }

  @Resilient('catalog')
  async reserve(): Promise<string> {
    this.calls++;
    throw new UnavailableError('catalog is down');
  }
}

describe(ResilienceModule.name, () => {
  const upstreams = { catalog: { timeoutMs: 1_000, retry: { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 } } };

  async function boot() {
    return NestFactory.createApplicationContext(
      {
        module: class AppModule {},
        imports: [ResilienceModule.forRoot({ upstreams })],
        providers: [CatalogClient],
      },
      { logger: false },
    );
  }

  it('provides one policy per configured upstream', async () => {
    const app = await boot();
    const sut = app.get(UpstreamPolicies);
    expect(sut.names()).toEqual(['catalog']);
    expect(sut.get('catalog')).toBe(sut.get('catalog'));
    expect(() => sut.get('orders')).toThrow('No resilience policy for upstream "orders"; configured: catalog');
    await app.close();
  });

  it('runs @Resilient methods through the upstream policy, retrying only idempotent ones', async () => {
    const app = await boot();
    const sut = app.get(CatalogClient);
    await expect(sut.product('p-1')).resolves.toBe('product p-1');
    expect([sut.calls, sut.contexts]).toEqual([2, [0, 1]]);

    sut.calls = 0;
    await expect(sut.reserve()).rejects.toBeInstanceOf(UnavailableError);
    expect(sut.calls).toBe(1);
    await app.close();
    await expect(sut.reserve()).rejects.toThrow('needs ResilienceModule.forRoot()');
  });
});
