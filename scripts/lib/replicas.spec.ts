import { parseReplicas } from './replicas';

describe(parseReplicas.name, () => {
  const services = ['identity', 'catalog', 'orders', 'gateway'];

  it('reads service=count pairs', () => {
    expect([...parseReplicas('catalog=3, orders=2', services)]).toEqual([
      ['catalog', 3],
      ['orders', 2],
    ]);
    expect(parseReplicas('', services).size).toBe(0);
  });

  it.each(['catalog', 'catalog=0', 'catalog=11', 'billing=2', 'gateway=2', 'catalog=two'])('refuses "%s", naming it', (spec) => {
    expect(() => parseReplicas(spec, services)).toThrow(`REPLICAS: "${spec}" is not <service>=<1..10>`);
  });
});
