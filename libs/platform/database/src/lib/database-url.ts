import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

/** Where a service keeps its data: a SQLite file (embedded default) or a PostgreSQL database. */
export type DatabaseTarget =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string };

const SQLITE_PREFIX = 'sqlite:';

/**
 * Parses a `DATABASE_URL`: `sqlite:.data/orders.db` (relative to the working directory),
 * `sqlite:/abs/path.db`, `sqlite::memory:`, or `postgres://user:pass@host:port/db`.
 * Returns undefined for anything else.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget | undefined {
  if (url.startsWith(SQLITE_PREFIX)) {
    const file = url.slice(SQLITE_PREFIX.length).replace(/^\/\/(?=\/)/, '');
    return file.length > 0 ? { kind: 'sqlite', file } : undefined;
  }
  if (/^postgres(ql)?:\/\/[^/]+\/[^/?#]+/.test(url)) {
    try {
      new URL(url);
      return { kind: 'postgres', url };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A zod schema for `DATABASE_URL` that names the accepted forms when a value is wrong. */
export const databaseUrl = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((value) => parseDatabaseUrl(value) !== undefined, {
      message: 'expected sqlite:<file>, sqlite::memory: or postgres://user:pass@host:port/database',
    });

/** Resolves a SQLite file against the working directory and creates its folder. */
export function prepareSqliteFile(file: string): string {
  if (file === ':memory:') return file;
  const path = isAbsolute(file) ? file : resolve(process.cwd(), file);
  mkdirSync(dirname(path), { recursive: true });
  return path;
}
