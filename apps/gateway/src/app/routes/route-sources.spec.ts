import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { announceRoutes, InMemoryRegistry } from '@nestkit/discovery';
import { announcedRoutes, readRoutesFile, RoutesFileError } from './route-sources';

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'routes-')), 'routes.yaml');
  writeFileSync(path, text);
  return path;
}

describe(readRoutesFile.name, () => {
  it('reads a valid file', () => {
    expect(readRoutesFile(file('routes:\n  - { path: /api/a/*, service: a, auth: public }\n'))).toMatchObject([{ path: '/api/a/*', service: 'a', auth: 'public', retry: true }]);
  });

  it.each([
    ['routes:\n  - { path: /api/a, service: a\n', /not valid YAML/],
    ['routes:\n  - { path: /api/a, service: A }\n', /routes\.0\.service: expected a service name/],
    ['routes:\n  - { path: /api/a, service: a, timeoutMs: 1 }\n', /routes\.0\.timeoutMs/],
    ['route: []\n', /\(root\)|route/],
  ])('names the file and every problem: %j', (text, message) => {
    const path = file(text);
    expect(() => readRoutesFile(path)).toThrow(RoutesFileError);
    expect(() => readRoutesFile(path)).toThrow(message);
    expect(() => readRoutesFile(path)).toThrow(path);
  });

  it('says how to fix a missing file', () => {
    expect(() => readRoutesFile('/nonexistent/routes.yaml')).toThrow(/cannot be read \(ENOENT\); set GATEWAY_ROUTES_FILE/);
  });
});

describe(announcedRoutes.name, () => {
  it('takes valid routes under the service’s own prefix, once, and refuses the rest with a reason', async () => {
    const registry = new InMemoryRegistry();
    const routes = [
      { path: '/api/reviews/*', methods: ['GET'], auth: 'public' },
      { path: '/api/catalog/*' },
      { path: '/api/reviews/x', timeoutMs: 'soon' },
    ];
    for (const id of ['r-1', 'r-2']) await registry.register({ id, service: 'reviews', host: '127.0.0.1', port: 1, version: '1', metadata: announceRoutes(routes), status: 'up' });
    await registry.register({ id: 'bad', service: 'broken', host: '127.0.0.1', port: 2, version: '1', metadata: { routes: '{not json' }, status: 'up' });
    const { entries, rejected } = announcedRoutes(registry);
    expect(entries).toEqual([{ spec: expect.objectContaining({ path: '/api/reviews/*', service: 'reviews' }), origin: 'service:reviews' }]);
    expect(rejected).toEqual([
      { origin: 'service:broken', path: '(metadata)', reason: expect.stringContaining('instance "bad": metadata "routes" is not JSON') },
      { origin: 'service:reviews', path: '/api/catalog/*', reason: 'a service may only announce routes under /api/reviews' },
      { origin: 'service:reviews', path: '/api/reviews/x', reason: expect.stringContaining('timeoutMs') },
    ]);
  });

  it('ignores instances that are not up', async () => {
    const registry = new InMemoryRegistry();
    await registry.register({ id: 'd', service: 'reviews', host: '127.0.0.1', port: 1, version: '1', metadata: announceRoutes([{ path: '/api/reviews/*' }]), status: 'draining' });
    expect(announcedRoutes(registry).entries).toEqual([]);
  });
});
