import { anInstance } from '../instance.fixture';
import { decodeInstance, encodeInstance, instanceIssues, instanceKey, parseInstanceKey } from './etcd-instance.codec';

describe(decodeInstance.name, () => {
  const prefix = '/p/';

  it('reads back what was encoded', () => {
    const instance = anInstance({ id: 'c1', zone: 'eu-1', metadata: { weight: '2' } });
    expect(decodeInstance(prefix, '/p/catalog/c1', encodeInstance(instance))).toEqual({ ok: true, instance });
  });

  it('defaults missing metadata and leaves an absent zone out', () => {
    const bare = JSON.stringify({ ...anInstance({ id: 'c1' }), metadata: undefined });
    const decoded = decodeInstance(prefix, '/p/catalog/c1', bare);
    expect(decoded).toEqual({ ok: true, instance: anInstance({ id: 'c1' }) });
    expect(decoded.ok && 'zone' in decoded.instance).toBe(false);
  });

  it.each([
    ['not JSON', '{', 'value is not JSON'],
    ['an empty id', encodeInstance(anInstance({ id: '' })), 'id:'],
    ['a port out of range', JSON.stringify({ ...anInstance({ id: 'c1' }), port: 0 }), 'port:'],
    ['an unknown status', JSON.stringify({ ...anInstance({ id: 'c1' }), status: 'down' }), 'status:'],
    ['a non-object', '42', 'value:'],
  ])('rejects %s', (_, value, reason) => {
    const decoded = decodeInstance(prefix, '/p/catalog/c1', value);
    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.reason).toContain(reason);
  });

  it('rejects a value naming another id or service than its key', () => {
    expect(decodeInstance(prefix, '/p/orders/c1', encodeInstance(anInstance({ id: 'c1' })))).toEqual({
      ok: false,
      reason: 'service/id do not match the key',
    });
  });
});

describe(parseInstanceKey.name, () => {
  it('splits a key into service and id, which may contain slashes', () => {
    expect(parseInstanceKey('/p/', instanceKey('/p/', { service: 'catalog', id: 'a/b' }))).toEqual({ service: 'catalog', id: 'a/b' });
  });

  it.each(['/q/catalog/c1', '/p/catalog', '/p/catalog/', '/p//c1'])('rejects %s', (key) => {
    expect(parseInstanceKey('/p/', key)).toBeUndefined();
  });
});

describe(instanceIssues.name, () => {
  it('names each invalid field', () => {
    const issues = instanceIssues({ ...anInstance(), service: 'a/b', host: '', port: 1.5 });
    expect(issues.map((issue) => issue.path)).toEqual(['service', 'host', 'port']);
  });
});
