import { NotFoundError } from '@nestkit/errors';
import type { Instancer } from './instancer';
import { anInstance } from './instance.fixture';
import { ids } from './instancer.conformance';
import type { Registrar } from './registrar';

/** A backend that both publishes and reads, such as the in-memory or etcd registry. */
export type Registry = Registrar & Instancer;

/** Runs the write-then-read contract every registry backend must meet. */
export function describeRegistry(name: string, factory: () => Registry | Promise<Registry>): void {
  describe(`Registry conformance: ${name}`, () => {
    let sut: Registry;
    let heard: string[][];

    beforeEach(async () => {
      sut = await factory();
      heard = [];
    });

    const listen = (service = 'catalog') => sut.subscribe(service, (instances) => heard.push(ids(instances)));

    it('serves a registered instance', async () => {
      await sut.register(anInstance({ id: 'c1' }));
      expect(ids(sut.instances('catalog'))).toEqual(['c1']);
      expect(sut.instance('c1')).toMatchObject({ host: '127.0.0.1', port: 4002, status: 'up' });
    });

    it('replaces an instance registered again under the same id', async () => {
      await sut.register(anInstance({ id: 'c1', port: 4002 }));
      await sut.register(anInstance({ id: 'c1', port: 4012 }));
      expect(sut.instances('catalog').map((i) => i.port)).toEqual([4012]);
    });

    it('removes a deregistered instance and tells subscribers', async () => {
      await sut.register(anInstance({ id: 'c1' }));
      await sut.register(anInstance({ id: 'c2', port: 4012 }));
      listen();
      await sut.deregister('c1');
      expect(ids(sut.instances('catalog'))).toEqual(['c2']);
      expect(sut.instance('c1')).toBeUndefined();
      expect(heard).toEqual([['c1', 'c2'], ['c2']]);
    });

    it('ignores deregistration of an unknown id', async () => {
      await expect(sut.deregister('nobody')).resolves.toBeUndefined();
    });

    it('stops serving a draining instance but still knows it', async () => {
      await sut.register(anInstance({ id: 'c1' }));
      listen();
      await sut.setStatus('c1', 'draining');
      expect(sut.instances('catalog')).toEqual([]);
      expect(sut.instance('c1')?.status).toBe('draining');
      await sut.setStatus('c1', 'up');
      expect(heard).toEqual([['c1'], [], ['c1']]);
    });

    it('rejects a status change for an unknown id', async () => {
      await expect(sut.setStatus('nobody', 'draining')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('tells only the subscribers of the changed service, until they unsubscribe', async () => {
      const unsubscribe = listen('orders');
      await sut.register(anInstance({ id: 'c1' }));
      await sut.register(anInstance({ id: 'o1', service: 'orders', port: 4003 }));
      unsubscribe();
      await sut.register(anInstance({ id: 'o2', service: 'orders', port: 4013 }));
      expect(heard).toEqual([[], ['o1']]);
    });
  });
}
