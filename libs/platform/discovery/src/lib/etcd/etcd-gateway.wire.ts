import { UnavailableError } from '@nestkit/errors';

// The etcd v3 JSON gateway's wire format: proto3 JSON with base64 bytes and int64 as strings.

/** One key-value pair as etcd returns it, decoded from base64. */
export interface EtcdKeyValue {
  readonly key: string;
  readonly value: string;
  readonly modRevision: number;
}

/** One change seen by a watch: a put carries the new value, a delete only the key. */
export type EtcdEvent = { readonly type: 'put'; readonly kv: EtcdKeyValue } | { readonly type: 'delete'; readonly key: string };

/** One message of a watch stream, already decoded. */
export interface EtcdWatchMessage {
  /** Every event up to this revision has been delivered (meaningless on `created`). */
  readonly revision: number;
  readonly created: boolean;
  readonly events: readonly EtcdEvent[];
  /** Set when etcd cancelled the watch because `fromRevision` was compacted away. */
  readonly compactRevision?: number;
}

/** A key-value pair as the gateway sends it. */
export interface RawKeyValue {
  key: string;
  value?: string;
  mod_revision?: string;
}

interface RawWatchResult {
  header?: { revision?: string };
  created?: boolean;
  canceled?: boolean;
  compact_revision?: string;
  events?: { type?: 'PUT' | 'DELETE'; kv: RawKeyValue }[];
}

/** One line of a watch stream as the gateway sends it. */
export interface RawWatchLine {
  result?: RawWatchResult;
  error?: unknown;
}

/** Reads a newline-delimited stream, calling `onLine` with each non-empty line. */
export async function readLines(body: ReadableStream<Uint8Array>, onLine: (line: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) onLine(line);
    }
  }
}

/** Encodes a key or value for the gateway. */
export function b64(text: string | Buffer): string {
  return (typeof text === 'string' ? Buffer.from(text, 'utf8') : text).toString('base64');
}

/** Decodes a key or value from the gateway. */
export function unb64(text: string | undefined): string {
  return Buffer.from(text ?? '', 'base64').toString('utf8');
}

/** The smallest key greater than every key starting with `prefix` (etcd's `range_end` for a prefix). */
export function prefixEnd(prefix: string): Buffer {
  const bytes = Buffer.from(prefix, 'utf8');
  for (let i = bytes.length - 1; i >= 0; i--) {
    const byte = bytes[i] ?? 0xff;
    if (byte < 0xff) return Buffer.concat([bytes.subarray(0, i), Buffer.from([byte + 1])]);
  }
  return Buffer.from([0]);
}

/** Decodes one key-value pair. */
export function decodeKv(raw: RawKeyValue): EtcdKeyValue {
  return { key: unb64(raw.key), value: unb64(raw.value), modRevision: Number(raw.mod_revision ?? 0) };
}

/** Decodes one watch line; throws when etcd ended the watch for a reason other than compaction. */
export function decodeWatch(line: RawWatchLine): EtcdWatchMessage {
  const result = line.result;
  if (!result || (result.canceled && !result.compact_revision)) {
    throw new UnavailableError(`etcd ended the watch: ${JSON.stringify(line.error ?? result)}`, 'discovery.etcd-unavailable');
  }
  return {
    revision: Number(result.header?.revision ?? 0),
    created: result.created === true,
    compactRevision: result.canceled && result.compact_revision ? Number(result.compact_revision) : undefined,
    events: (result.events ?? []).map((e): EtcdEvent =>
      e.type === 'DELETE' ? { type: 'delete', key: unb64(e.kv.key) } : { type: 'put', kv: decodeKv(e.kv) },
    ),
  };
}
