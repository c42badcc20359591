import type { ResponseRecord } from '../cache-store';
import { decodeRecord, encodeRecord } from './record.codec';

describe('record codec', () => {
  const record: ResponseRecord = {
    kind: 'response',
    policy: { v: 1, t: 5, sh: true, ch: 0.1, imm: 0, st: 200, resh: { etag: '"x"' }, rescc: {}, m: 'GET', a: true, reqh: null, reqcc: {} },
    body: Buffer.from([0, 1, 2, 255]),
    tags: ['a', 'b'],
  };

  it('round-trips a response record with a binary body', () => {
    const decoded = decodeRecord(encodeRecord(record), 'k') as ResponseRecord;
    expect(decoded).toMatchObject({ kind: 'response', policy: record.policy, tags: ['a', 'b'] });
    expect([...decoded.body]).toEqual([0, 1, 2, 255]);
  });

  it('round-trips a vary record', () => {
    expect(decodeRecord(encodeRecord({ kind: 'vary', names: ['accept'] }), 'k')).toEqual({ kind: 'vary', names: ['accept'] });
  });

  it('treats a record of an unknown format version as absent', () => {
    const data = encodeRecord(record);
    data.writeUInt8(2, 0);
    expect(decodeRecord(data, 'k')).toBeUndefined();
  });

  it('names the key when the bytes are not a record', () => {
    expect(() => decodeRecord(Buffer.from('hi'), 'gw:e:x')).toThrow(/Redis key gw:e:x holds 2 bytes, not a cache record/);
    expect(() => decodeRecord(encodeRecord(record).subarray(0, 10), 'gw:e:x')).toThrow(/truncated/);
  });
});
