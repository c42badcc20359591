import type { CacheRecord } from '../cache-store';

const VERSION = 1;
const HEADER_BYTES = 5;

/** Serialized form of a record in Redis: version byte, 4-byte length of a JSON head, the head, then the raw body. */
export function encodeRecord(record: CacheRecord): Buffer {
  const head = record.kind === 'vary' ? { k: 'v', n: record.names } : { k: 'r', p: record.policy, t: record.tags };
  const json = Buffer.from(JSON.stringify(head), 'utf8');
  const prefix = Buffer.allocUnsafe(HEADER_BYTES);
  prefix.writeUInt8(VERSION, 0);
  prefix.writeUInt32BE(json.length, 1);
  return Buffer.concat(record.kind === 'vary' ? [prefix, json] : [prefix, json, record.body]);
}

/**
 * The record `data` encodes; undefined for a version this code does not know (written by a newer gateway during
 * a rolling deploy, so treated as a miss). Throws, naming `key`, when the bytes are not a record at all.
 */
export function decodeRecord(data: Buffer, key: string): CacheRecord | undefined {
  if (data.length < HEADER_BYTES) throw new Error(`http-cache: Redis key ${key} holds ${data.length} bytes, not a cache record; delete it`);
  if (data.readUInt8(0) !== VERSION) return undefined;
  const end = HEADER_BYTES + data.readUInt32BE(1);
  if (end > data.length) throw new Error(`http-cache: Redis key ${key} holds a truncated cache record; delete it`);
  const head = JSON.parse(data.toString('utf8', HEADER_BYTES, end)) as { k: string; n?: string[]; p?: unknown; t?: string[] };
  if (head.k === 'v' && Array.isArray(head.n)) return { kind: 'vary', names: head.n };
  if (head.k === 'r' && head.p && Array.isArray(head.t)) {
    return { kind: 'response', policy: head.p as Extract<CacheRecord, { kind: 'response' }>['policy'], tags: head.t, body: data.subarray(end) };
  }
  throw new Error(`http-cache: Redis key ${key} holds an unknown cache record kind '${head.k}'; delete it`);
}
