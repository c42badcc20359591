import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { RunningService } from '@nestkit/bootstrap';
import { main } from '../../main';
import type { Clock } from '../clock';

/** The env every in-process identity gets unless a test overrides it. */
export const TEST_ENV = {
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'silent',
  REGISTRY: 'static',
  AUTH_ISSUER: 'test-issuer',
  AUTH_AUDIENCE: 'test-audience',
  SIGNING_KEY_SECRET: 'test-only-signing-key-secret-0123456789',
  // These specs call identity as the gateway would, after its checks; the strict default (a service token
  // on every call) is proven by the token endpoint's spec and, through the gateway, by the e2e suite.
  AUTH_REQUIRE_SERVICE_TOKEN: 'false',
};

/** A data directory for one test file: identity's SQLite database lives there across restarts. */
export function dataDir(): { url: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'identity-'));
  return { url: `sqlite:${join(dir, 'identity.db')}`, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** identity booted in this process as `main()` boots it, with every log line it writes kept in `logs`. */
export class IdentityProcess {
  private readonly lines: string[] = [];

  private constructor(readonly running: RunningService) {}

  static async start(env: Record<string, string>, clock?: Clock): Promise<IdentityProcess> {
    const destination = new PassThrough();
    const running = await main({ ...TEST_ENV, ...env }, { ...(clock ? { clock } : {}), logDestination: destination });
    const sut = new IdentityProcess(running);
    destination.on('data', (chunk: Buffer) => sut.lines.push(chunk.toString()));
    return sut;
  }

  get url(): string {
    return this.running.url;
  }

  get logs(): string {
    return this.lines.join('');
  }

  /** Sends JSON (or a form when `form` is given) and returns status, headers and the parsed body. */
  async call(path: string, options: { method?: string; json?: unknown; form?: Record<string, string>; headers?: Record<string, string>; token?: string } = {}) {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    }
    const response = await fetch(`${this.url}${path}`, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are inspected field by field
    const parsed: any = text ? JSON.parse(text) : undefined;
    return { status: response.status, headers: response.headers, body: parsed };
  }

  close(): Promise<void> {
    return this.running.close();
  }
}
