import type { ServiceInstance } from '@nestkit/discovery';
import { unitHash, VersionSplit } from './version-split';

const instance = (id: string, version: string): ServiceInstance => ({ id, service: 's', host: '127.0.0.1', port: 1, version, metadata: {}, status: 'up' });
const both = [instance('a', '1.0.0'), instance('b', '2.0.0')];
const onlyV1 = [instance('a', '1.0.0')];

describe(VersionSplit.name, () => {
  const sut = new VersionSplit({ weights: { '1.0.0': 90, '2.0.0': 10 }, header: 'x-version', sticky: true }, '/api/s/*');

  it('splits anonymous requests by the weights', () => {
    let v2 = 0;
    for (let i = 0; i < 20_000; i += 1) if (sut.choose(both, undefined, undefined)?.version === '2.0.0') v2 += 1;
    expect(v2 / 20_000).toBeGreaterThan(0.09);
    expect(v2 / 20_000).toBeLessThan(0.11);
  });

  it('sends everyone to the versions that have instances (a canary that is down gets nobody)', () => {
    for (let i = 0; i < 100; i += 1) expect(sut.choose(onlyV1, undefined, undefined)?.version).toBe('1.0.0');
  });

  it('honours a forced version with instances, and ignores one without', () => {
    expect(sut.choose(both, '2.0.0', 'u-1')).toMatchObject({ version: '2.0.0', forced: true });
    expect(sut.choose(onlyV1, '2.0.0', undefined)).toMatchObject({ version: '1.0.0', forced: false });
  });

  it('keeps a user on one version, whatever the random source says', () => {
    const first = sut.choose(both, undefined, 'user-42', () => 0)?.version;
    for (const random of [() => 0.5, () => 0.99]) expect(sut.choose(both, undefined, 'user-42', random)?.version).toBe(first);
  });

  it('gives a filter that keeps exactly the chosen version, the same function each time', () => {
    const choice = sut.choose(both, '1.0.0', undefined);
    expect(both.filter(choice!.filter).map((i) => i.id)).toEqual(['a']);
    expect(sut.choose(both, '1.0.0', undefined)?.filter).toBe(choice!.filter);
  });

  it('answers undefined when no version of the split is up', () => {
    expect(sut.choose([instance('c', '3.0.0')], undefined, undefined)).toBeUndefined();
  });
});

describe(unitHash.name, () => {
  it('spreads similar ids evenly over [0, 1)', () => {
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i += 1) buckets[Math.floor(unitHash(`user-${i}`) * 10)]! += 1;
    for (const count of buckets) expect(count).toBeGreaterThan(850);
  });
});
