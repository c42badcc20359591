// Smoke test of the stores scripts/infra/ starts (Redis, etcd). PostgreSQL is exercised for real by
// the database lib's integration tests. Plain protocol calls, so no client library is needed yet.
import { connect } from 'node:net';
import { infraUrls } from '@nestkit/testing';

function redisCommand(url: string, command: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.setTimeout(5_000, () => socket.destroy(new Error(`redis at ${url} did not answer within 5 s`)));
    socket.once('error', reject);
    socket.once('data', (data) => {
      resolve(data.toString());
      socket.end();
    });
    socket.write(`${command}\r\n`);
  });
}

describe('Redis from scripts/infra', () => {
  it('answers PING and keeps a value', async () => {
    expect(await redisCommand(infraUrls().redisUrl, 'PING')).toBe('+PONG\r\n');
    expect(await redisCommand(infraUrls().redisUrl, `SET nestkit:smoke:${process.pid} ok EX 10`)).toBe('+OK\r\n');
  });
});

describe('etcd from scripts/infra', () => {
  it('reports healthy and stores a key through the v3 API', async () => {
    const health = await fetch(`${infraUrls().etcdUrl}/health`, { signal: AbortSignal.timeout(5_000) });
    expect(await health.json()).toMatchObject({ health: 'true' });

    const key = Buffer.from(`/nestkit/smoke/${process.pid}`).toString('base64');
    const value = Buffer.from('ok').toString('base64');
    const put = await fetch(`${infraUrls().etcdUrl}/v3/kv/put`, { method: 'POST', body: JSON.stringify({ key, value }), signal: AbortSignal.timeout(5_000) });
    expect(put.status).toBe(200);
    const range = await fetch(`${infraUrls().etcdUrl}/v3/kv/range`, { method: 'POST', body: JSON.stringify({ key }), signal: AbortSignal.timeout(5_000) });
    const body = (await range.json()) as { kvs?: { value: string }[] };
    expect(body.kvs?.[0]?.value).toBe(value);
  });
});
