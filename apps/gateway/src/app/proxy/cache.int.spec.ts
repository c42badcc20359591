import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { GatewayHarness, TestUpstream } from '../testing/gateway-harness';

/** The platform's routes file: the cached routes are the ones under test. */
const ROUTES = readFileSync(resolve(__dirname, '../../../../../config/gateway.routes.yaml'), 'utf8');
const cached = (parse(ROUTES) as { routes: { path: string; cache?: object }[] }).routes.filter((route) => route.cache).map((route) => route.path);

/** Who the upstream thinks is asking: the token's subject (not verified here; the gateway did or did not). */
function whoami(authorization: string | undefined): string {
  if (!authorization) return 'anonymous';
  const payload = authorization.split('.')[1] ?? '';
  return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub: string }).sub;
}

/** Issue 10's cache proofs through the real gateway on the platform's own cached routes. */
describe('gateway response cache', () => {
  let harness: GatewayHarness;
  let catalog: TestUpstream;
  const calls = new Map<string, number>();

  beforeAll(async () => {
    expect(cached.length).toBeGreaterThan(0);
    // A catalog that answers per caller and (wrongly, on purpose) calls every answer public: the gateway must still never share one caller's answer.
    catalog = await TestUpstream.start({ service: 'catalog', id: 'catalog-1' }, (req, res) => {
      req.resume();
      calls.set(req.url ?? '', (calls.get(req.url ?? '') ?? 0) + 1);
      const who = whoami(req.headers.authorization);
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=60', etag: `"${who}"`, 'cache-tag': 'products' });
        res.end(JSON.stringify({ who, url: req.url }));
      }, 20);
    });
    harness = await GatewayHarness.start(ROUTES);
  });

  afterAll(async () => {
    await harness?.close();
    await catalog?.close();
  });

  async function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; cache: string | null; who?: string; tag: string | null }> {
    const response = await fetch(`${harness.url}${path}`, { headers });
    const text = await response.text();
    return { status: response.status, cache: response.headers.get('x-cache'), who: text ? (JSON.parse(text) as { who: string }).who : undefined, tag: response.headers.get('cache-tag') };
  }

  it.each(cached)('never serves one caller’s cached answer to another on %s', async (pattern) => {
    const path = pattern.replace(/:[^/]+/g, 'p-1').replace(/\*$/, 'x') + `?case=${encodeURIComponent(pattern)}`;
    const ada = { authorization: `Bearer ${await harness.token('ada')}` };
    const bob = { authorization: `Bearer ${await harness.token('bob')}` };
    expect(await get(path, ada)).toMatchObject({ status: 200, who: 'ada', cache: 'miss', tag: null });
    expect(await get(path, ada)).toMatchObject({ who: 'ada', cache: 'hit' });
    expect(await get(path, bob)).toMatchObject({ who: 'bob', cache: 'miss' });
    expect(await get(path)).toMatchObject({ who: 'anonymous', cache: 'miss' });
    expect(await get(path)).toMatchObject({ who: 'anonymous', cache: 'hit' });
    expect(await get(path, bob)).toMatchObject({ who: 'bob', cache: 'hit' });
    expect(await get(path, ada)).toMatchObject({ who: 'ada', cache: 'hit' });
  });

  it('answers 304 with no body to a matching If-None-Match', async () => {
    const path = `/api/catalog/products?case=etag`;
    await get(path);
    const response = await fetch(`${harness.url}${path}`, { headers: { 'if-none-match': '"anonymous"' } });
    expect(response.status).toBe(304);
    expect(await response.text()).toBe('');
    expect(response.headers.get('etag')).toBe('"anonymous"');
    expect((await fetch(`${harness.url}${path}`, { headers: { 'if-none-match': '"someone-else"' } })).status).toBe(200);
  });

  it('makes exactly one upstream call for 1,000 concurrent requests for one cold key', async () => {
    const path = `/api/catalog/products?case=stampede`;
    const answers = await Promise.all(Array.from({ length: 1_000 }, () => get(path)));
    expect(answers.every((answer) => answer.status === 200 && answer.who === 'anonymous')).toBe(true);
    expect(calls.get('/products?case=stampede')).toBe(1);
  });
});
