import { EtcdConnectionStatus } from './etcd-connection.status';
import type { RegistryStatus } from '../registry-status';

describe(EtcdConnectionStatus.name, () => {
  let clock: number;
  let changes: RegistryStatus[];
  let sut: EtcdConnectionStatus;

  beforeEach(() => {
    clock = 1_000;
    changes = [];
    sut = new EtcdConnectionStatus((status) => changes.push(status), () => new Date(clock));
  });

  it('starts connected', () => {
    expect(sut.get()).toEqual({ state: 'connected', since: new Date(1_000) });
  });

  it('is degraded from the first failure until every failing part recovers', () => {
    clock = 2_000;
    sut.fail('watch', new Error('refused'));
    clock = 3_000;
    sut.fail('lease:c1', new Error('timed out'));
    expect(sut.get()).toEqual({ state: 'degraded', since: new Date(2_000), lastError: 'timed out' });
    sut.ok('watch');
    expect(sut.get().state).toBe('degraded');
    clock = 4_000;
    sut.ok('lease:c1');
    expect(sut.get()).toEqual({ state: 'connected', since: new Date(4_000) });
  });

  it('reports changes of state or error only', () => {
    sut.ok('watch');
    sut.fail('watch', new Error('refused'));
    sut.fail('watch', new Error('refused'));
    sut.ok('watch');
    expect(changes.map((status) => status.state)).toEqual(['degraded', 'connected']);
  });
});
