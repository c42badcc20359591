import type { Instancer } from './instancer';
import { anInstance } from './instance.fixture';
import type { ServiceInstance } from './service-instance';

/** Builds the instancer under test already holding `seed`. */
export type InstancerFactory = (seed: readonly ServiceInstance[]) => Instancer | Promise<Instancer>;

const seed = [
  anInstance({ id: 'catalog-a', port: 4002 }),
  anInstance({ id: 'catalog-b', port: 4012 }),
  anInstance({ id: 'catalog-c', port: 4022, status: 'draining' }),
  anInstance({ id: 'orders-a', service: 'orders', port: 4003 }),
];

/** Runs the read-side contract every {@link Instancer} must meet. */
export function describeInstancer(name: string, factory: InstancerFactory): void {
  describe(`Instancer conformance: ${name}`, () => {
    let sut: Instancer;

    beforeEach(async () => {
      sut = await factory(seed);
    });

    it('lists only the up instances of the asked service', () => {
      expect(ids(sut.instances('catalog'))).toEqual(['catalog-a', 'catalog-b']);
      expect(ids(sut.instances('orders'))).toEqual(['orders-a']);
    });

    it('lists nothing for an unknown service', () => {
      expect(sut.instances('billing')).toEqual([]);
    });

    it('looks instances up by id whatever their status', () => {
      expect(sut.instance('catalog-c')).toMatchObject({ service: 'catalog', port: 4022, status: 'draining' });
      expect(sut.instance('missing')).toBeUndefined();
    });

    it('gives a new subscriber the current list at once', () => {
      const heard: string[][] = [];
      const unsubscribe = sut.subscribe('catalog', (instances) => heard.push(ids(instances)));
      expect(heard).toEqual([['catalog-a', 'catalog-b']]);
      expect(unsubscribe).toBeTypeOf('function');
      unsubscribe();
    });
  });
}

/** The ids of `instances`, sorted, for order-independent assertions. */
export function ids(instances: readonly ServiceInstance[]): string[] {
  return instances.map((i) => i.id).sort();
}
