import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { BodyTooLargeError } from './edge-error';

/** Bodies up to this size are read whole before the call: replayable (retries, hedging) and cheap. */
const BUFFERED_BYTES = 64 * 1024;
/** A chunked body (no Content-Length) is held up to this much before streaming, so most over-limit ones never reach the service. */
const CHUNKED_HOLD_BYTES = 1024 * 1024;

/**
 * The request body as the upstream call takes it, under the route's limit, enforced while streaming:
 * - no body: `undefined`;
 * - a `Content-Length` over the limit: 413 at once, before a byte is read or sent;
 * - up to 64 KiB: read whole (a `Buffer`, so the call may be retried or hedged);
 * - larger with `Content-Length`: streamed as it arrives (Node's parser ends the body at the declared length);
 * - chunked: held until it ends or passes min(limit, 1 MiB); over the limit by then: 413 with 0 bytes
 *   sent; else streamed on through a counter that fails the upload (aborting the upstream call, whose
 *   request never completes) the moment the limit is passed.
 */
export async function requestBody(req: IncomingMessage, limit: number): Promise<Buffer | Readable | undefined> {
  const declared = req.headers['content-length'];
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (declared === undefined && !chunked) return undefined;
  if (declared !== undefined && !chunked) {
    const length = Number(declared);
    if (length === 0) return undefined;
    if (length > limit) throw new BodyTooLargeError(limit, `Content-Length ${length}`);
    return length <= BUFFERED_BYTES ? readAll(req, length) : req;
  }
  const hold = Math.min(limit, CHUNKED_HOLD_BYTES);
  const { chunks, size, ended } = await readUpTo(req, hold + 1);
  if (size > limit) throw new BodyTooLargeError(limit, `more than ${limit} bytes, chunked`);
  if (ended) return size === 0 ? undefined : Buffer.concat(chunks, size);
  return Readable.from(limited(chunks, req, limit), { objectMode: false });
}

function readAll(req: IncomingMessage, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const body = Buffer.allocUnsafe(length);
    let offset = 0;
    req.on('data', (chunk: Buffer) => {
      chunk.copy(body, offset);
      offset += chunk.length;
    });
    req.once('end', () => resolve(offset === length ? body : body.subarray(0, offset)));
    req.once('error', reject);
  });
}

/** Reads until `max` bytes are held or the body ends, then pauses the stream. */
function readUpTo(req: IncomingMessage, max: number): Promise<{ chunks: Buffer[]; size: number; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= max) {
        req.pause();
        cleanup();
        resolve({ chunks, size, ended: false });
      }
    };
    const onEnd = () => {
      cleanup();
      resolve({ chunks, size, ended: true });
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
  });
}

/** The held prefix, then the rest as it arrives; fails (destroying the stream) once more than `limit` bytes went by. */
async function* limited(prefix: readonly Buffer[], rest: IncomingMessage, limit: number): AsyncGenerator<Buffer> {
  let seen = 0;
  for (const chunk of prefix) {
    seen += chunk.length;
    yield chunk;
  }
  for await (const chunk of rest) {
    seen += (chunk as Buffer).length;
    if (seen > limit) throw new BodyTooLargeError(limit, `more than ${limit} bytes, chunked`);
    yield chunk as Buffer;
  }
}
