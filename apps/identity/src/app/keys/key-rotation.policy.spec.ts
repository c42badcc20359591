import { type KeyRecord, planKeyMaintenance, signingKeyOf } from './key-rotation.policy';

const MIN = 60_000;
const settings = { rotationIntervalMs: 60 * MIN, publishLeadMs: 10 * MIN, retireAfterMs: 12 * MIN };
const t0 = Date.UTC(2030, 0, 1);

describe(planKeyMaintenance.name, () => {
  const active: KeyRecord = { kid: 'a', state: 'active', createdAt: t0, activatedAt: t0 };
  const next: KeyRecord = { kid: 'n', state: 'next', createdAt: t0 };

  it('creates an active and a next key on an empty store', () => {
    expect(planKeyMaintenance([], t0, settings)).toEqual({ actions: [{ type: 'create', state: 'active' }, { type: 'create', state: 'next' }] });
  });

  it('does nothing while the active key is younger than the interval and a next key is published', () => {
    expect(planKeyMaintenance([active, next], t0 + 60 * MIN - 1, settings)).toEqual({ actions: [] });
  });

  it('at exactly the interval, activates the next key, retires the old one for retireAfterMs and publishes a new next key', () => {
    const now = t0 + 60 * MIN;

    expect(planKeyMaintenance([active, next], now, settings)).toEqual({
      actions: [
        { type: 'activate', kid: 'n' },
        { type: 'retire', kid: 'a', removeAfter: now + 12 * MIN },
        { type: 'create', state: 'next' },
      ],
    });
  });

  it('never lets a key sign before it has been published for publishLeadMs, even when forced', () => {
    const young: KeyRecord = { ...next, createdAt: t0 + 55 * MIN };

    expect(planKeyMaintenance([active, young], t0 + 64 * MIN, settings, true)).toEqual({ actions: [], nextReadyAt: t0 + 65 * MIN });
    expect(planKeyMaintenance([active, young], t0 + 65 * MIN, settings, true).actions[0]).toEqual({ type: 'activate', kid: 'n' });
  });

  it('rotates on demand before the interval once the next key is ready', () => {
    expect(planKeyMaintenance([active, next], t0 + 10 * MIN, settings, true).actions.map((action) => action.type)).toEqual(['activate', 'retire', 'create']);
  });

  it('publishes a missing next key and reports when it may sign if a rotation was due', () => {
    expect(planKeyMaintenance([active], t0 + 5 * MIN, settings)).toEqual({ actions: [{ type: 'create', state: 'next' }] });
    expect(planKeyMaintenance([active], t0 + 5 * MIN, settings, true)).toEqual({ actions: [{ type: 'create', state: 'next' }], nextReadyAt: t0 + 15 * MIN });
  });

  it('removes a retiring key exactly at removeAfter, not before', () => {
    const retiring: KeyRecord = { kid: 'r', state: 'retiring', createdAt: t0, activatedAt: t0, removeAfter: t0 + 30 * MIN };

    expect(planKeyMaintenance([active, next, retiring], t0 + 30 * MIN - 1, settings).actions).toEqual([]);
    expect(planKeyMaintenance([active, next, retiring], t0 + 30 * MIN, settings).actions).toEqual([{ type: 'remove', kid: 'r' }]);
  });

  it('heals a race between replicas: keeps the newest active key and the oldest next key', () => {
    const older: KeyRecord = { kid: 'a0', state: 'active', createdAt: t0 - MIN, activatedAt: t0 - MIN };
    const laterNext: KeyRecord = { kid: 'n2', state: 'next', createdAt: t0 + MIN };

    expect(planKeyMaintenance([older, active, next, laterNext], t0 + 2 * MIN, settings).actions).toEqual([
      { type: 'retire', kid: 'a0', removeAfter: t0 + 14 * MIN },
      { type: 'remove', kid: 'n2' },
    ]);
    expect(signingKeyOf([older, active])?.kid).toBe('a');
  });

  it('activates a published next key when no key is active', () => {
    expect(planKeyMaintenance([next], t0, settings).actions).toEqual([
      { type: 'activate', kid: 'n' },
      { type: 'create', state: 'next' },
    ]);
  });
});
