import { randomBytes } from 'node:crypto';

/** A name no other test run uses (queues, topics, databases): `prefix-<pid>-<random>`, lower-case. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${randomBytes(4).toString('hex')}`.toLowerCase();
}
