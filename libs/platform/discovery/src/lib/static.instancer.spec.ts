import { describeInstancer } from '../testing';
import { StaticInstancer } from './static.instancer';

describeInstancer(StaticInstancer.name, (seed) => new StaticInstancer(seed));

describe(StaticInstancer.name, () => {
  it('builds from a spec and reports the entries it skipped', () => {
    const rejected: string[] = [];
    const sut = StaticInstancer.fromSpec('catalog=127.0.0.1:4002,oops;orders=127.0.0.1:4003', (r) => rejected.push(r.entry));
    expect(sut.instances('catalog').map((i) => i.port)).toEqual([4002]);
    expect(sut.instance('orders@127.0.0.1:4003')?.service).toBe('orders');
    expect(rejected).toEqual(['catalog=oops']);
  });

  it('serves the same cached list on every read', () => {
    const sut = StaticInstancer.fromSpec('catalog=127.0.0.1:4002');
    expect(sut.instances('catalog')).toBe(sut.instances('catalog'));
  });
});
