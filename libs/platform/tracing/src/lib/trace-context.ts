import { randomFillSync } from 'node:crypto';

/** A W3C Trace Context position: which trace, which span, and whether it is sampled. */
export interface TraceContext {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/**
 * Parses a `traceparent` header (W3C Trace Context level 1). Returns undefined for anything malformed,
 * the reserved version `ff`, or all-zero ids, so a bad header starts a new trace instead of failing.
 */
export function parseTraceparent(header: string | string[] | undefined): TraceContext | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const match = TRACEPARENT.exec(value.trim().toLowerCase());
  if (!match) return undefined;
  const [, version, traceId, spanId, flags] = match;
  if (version === 'ff' || traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceId, spanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

/** Formats a context as a `traceparent` header value. */
export function formatTraceparent(context: TraceContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.sampled ? '01' : '00'}`;
}

/**
 * Random ids from a pooled buffer refilled 4 KiB at a time: one `randomFillSync` per 170 spans instead of
 * one per id (a per-request cost a proxy feels). The same CSPRNG, so ids stay unguessable.
 */
const POOL = Buffer.alloc(4096);
let offset = POOL.length;

function randomHex(bytes: number): string {
  if (offset + bytes > POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  const hex = POOL.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}

/** Starts a new trace (fresh trace and span ids), sampled by default. */
export function newTraceContext(sampled = true): TraceContext {
  return { traceId: randomHex(16), spanId: randomHex(8), sampled };
}

/** A child span of `parent`: same trace, new span id. Each hop that forwards a request is a child. */
export function childOf(parent: TraceContext): TraceContext {
  return { ...parent, spanId: randomHex(8) };
}

/** The context carried by incoming headers as a child span, or a new trace when there is none. */
export function continueFromHeaders(headers: Record<string, string | string[] | undefined>): TraceContext {
  const parent = parseTraceparent(headers['traceparent']);
  return parent ? childOf(parent) : newTraceContext();
}
