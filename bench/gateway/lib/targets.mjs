// How each target of the benchmark is started: the upstream, nginx, moleculer-web, reply-from and the
// built gateway, each on the server core, each checked to answer the upstream's body before it is measured.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ITEM } from '../servers/body.mjs';
import { CLAIMS } from './identity.mjs';
import { freePort, waitUntilServing } from './processes.mjs';

const HERE = new URL('..', import.meta.url).pathname;

/** Accepts a 200 whose body is the upstream's document (parsed, so key order and spacing do not matter). */
export function answersItem(status, text) {
  if (status !== 200) return false;
  try {
    return isDeepStrictEqual(JSON.parse(text), ITEM);
  } catch {
    return false;
  }
}

/** @typedef {{ processes: import('./processes.mjs').Processes, dir: string, core: number, node: string, upstreamPort: number }} StartContext */
/** @typedef {{ url: string, headers: Record<string, string> }} Endpoint */

/** Starts the upstream; resolves with its port once it answers. @param {Omit<StartContext, 'upstreamPort'>} ctx */
export async function startUpstream(ctx) {
  const port = await freePort();
  const entry = ctx.processes.start('upstream', ctx.core, ctx.node, [join(HERE, 'servers/upstream.mjs'), String(port)]);
  await waitUntilServing('upstream', `http://127.0.0.1:${port}/`, { entry, accept: answersItem });
  return port;
}

/** The upstream itself, no proxy in front. @param {StartContext} ctx @returns {Promise<Endpoint>} */
export async function startDirect(ctx) {
  return { url: `http://127.0.0.1:${ctx.upstreamPort}/products`, headers: {} };
}

/** The `--http-<module>-temp-path` entries nginx was built with, so the config sets only known directives. */
function nginxTempModules(binary) {
  const built = spawnSync(binary, ['-V'], { encoding: 'utf8' });
  return ['client-body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].filter((name) => `${built.stderr}${built.stdout}`.includes(`--http-${name}-temp-path`));
}

/**
 * nginx with its own config in a temp prefix: one worker, no access log, keep-alive to the upstream.
 * @param {StartContext & { nginx: string }} ctx @returns {Promise<Endpoint>}
 */
export async function startNginx(ctx) {
  const prefix = join(ctx.dir, 'nginx');
  mkdirSync(prefix, { recursive: true });
  const port = await freePort();
  const temps = nginxTempModules(ctx.nginx).map((name) => {
    mkdirSync(join(prefix, name), { recursive: true });
    return `  ${name.replace('-', '_')}_temp_path ${join(prefix, name)};`;
  });
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(
    conf,
    `daemon off;
worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
${temps.join('\n')}
  upstream bench {
    server 127.0.0.1:${ctx.upstreamPort};
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://bench;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`,
  );
  const entry = ctx.processes.start('nginx', ctx.core, ctx.nginx, ['-p', prefix, '-c', conf, '-e', join(prefix, 'error.log')]);
  const url = `http://127.0.0.1:${port}/products`;
  await waitUntilServing('nginx', url, { entry, accept: answersItem });
  return { url, headers: {} };
}

/** Fastify + @fastify/reply-from forwarding to the upstream. @param {StartContext} ctx @returns {Promise<Endpoint>} */
export async function startReplyFrom(ctx) {
  const port = await freePort();
  const entry = ctx.processes.start('reply-from', ctx.core, ctx.node, [join(HERE, 'peers/reply-from.mjs'), String(port), String(ctx.upstreamPort)]);
  const url = `http://127.0.0.1:${port}/products`;
  await waitUntilServing('reply-from', url, { entry, accept: answersItem });
  return { url, headers: {} };
}

/** A bare node:http + undici Pool pipe to the upstream (the floor of any Node proxy). @param {StartContext} ctx @returns {Promise<Endpoint>} */
export async function startUndiciPipe(ctx) {
  const port = await freePort();
  const entry = ctx.processes.start('undici-pipe', ctx.core, ctx.node, [join(HERE, 'servers/undici-pipe.mjs'), String(port), String(ctx.upstreamPort)]);
  const url = `http://127.0.0.1:${port}/products`;
  await waitUntilServing('undici-pipe', url, { entry, accept: answersItem });
  return { url, headers: {} };
}

/** moleculer-web and a service node over the TCP transporter. @param {StartContext} ctx @returns {Promise<Endpoint>} */
export async function startMoleculerWeb(ctx) {
  const [httpPort, apiTcp, serviceTcp] = [await freePort(), await freePort(), await freePort()];
  const env = { ...process.env, BENCH_NAMESPACE: `bench-${process.pid}` };
  const script = join(HERE, 'peers/moleculer-web.mjs');
  const service = ctx.processes.start('moleculer-service', ctx.core, ctx.node, [script, 'service', String(serviceTcp), String(apiTcp)], { env });
  const api = ctx.processes.start('moleculer-web', ctx.core, ctx.node, [script, 'api', String(httpPort), String(apiTcp), String(serviceTcp)], { env });
  const url = `http://127.0.0.1:${httpPort}/api/bench`;
  // The api node answers 404/503 until gossip over TCP has told it about the service node.
  await waitUntilServing('moleculer-web', url, { entry: api, accept: answersItem });
  if (service.child.exitCode !== null) throw new Error(`bench: moleculer service node exited (code ${service.child.exitCode}); see ${service.log}`);
  return { url, headers: {} };
}

/**
 * Which gateway is benched. `routes-file`: the rewritten gateway reading GATEWAY_ROUTES_FILE (a route
 * with user auth, rate limit and balancer, and a public one). `builtin`: the current gateway's built-in
 * table, where `/api/orders/*` needs a user token and `GET /api/catalog/products` is public.
 */
export function gatewayPlan(mode, overrides = {}) {
  const defaults =
    mode === 'routes-file'
      ? { authService: 'bench', authPath: '/api/bench/items', publicService: 'bench', publicPath: '/api/public/items' }
      : { authService: 'orders', authPath: '/api/orders/bench', publicService: 'catalog', publicPath: '/api/catalog/products' };
  const plan = { mode, ...defaults, ...Object.fromEntries(Object.entries(overrides).filter(([, value]) => value)) };
  return { ...plan, rateLimit: mode === 'routes-file' };
}

/** The GATEWAY_ROUTES_FILE of the routes-file mode: the "everything on" route and a public one. */
export function routesYaml(plan) {
  const prefix = (path) => path.replace(/\/[^/]*$/, '');
  return `# Written by bench/gateway/run.mjs for one benchmark run.
routes:
  - path: ${prefix(plan.authPath)}/*
    service: ${plan.authService}
    methods: [GET]
    rewrite: { stripPrefix: ${prefix(plan.authPath)} }
    auth: user
    rateLimit: { limit: 100000000, windowMs: 60000 }
    balancer: { strategy: round-robin }
  - path: ${prefix(plan.publicPath)}/*
    service: ${plan.publicService}
    methods: [GET]
    rewrite: { stripPrefix: ${prefix(plan.publicPath)} }
    auth: public
    balancer: { strategy: round-robin }
`;
}

/** Whether the built gateway's config knows GATEWAY_ROUTES_FILE (the rewritten gateway has landed). */
export function detectGatewayMode(entry) {
  const config = join(entry, '..', 'app', 'gateway.config.js');
  try {
    return readFileSync(config, 'utf8').includes('GATEWAY_ROUTES_FILE') ? 'routes-file' : 'builtin';
  } catch {
    return 'builtin';
  }
}

/** The gateway's environment: static discovery of the upstream, the bench JWKS, quiet logs. */
export function gatewayEnv(plan, { port, upstreamPort, jwksUrl, dir }) {
  const services = [...new Set([plan.authService, plan.publicService])];
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '',
    REGISTRY: 'static',
    STATIC_INSTANCES: services.map((service) => `${service}=127.0.0.1:${upstreamPort}`).join(';'),
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    AUTH_JWKS_URL: jwksUrl,
    AUTH_ISSUER: CLAIMS.issuer,
    AUTH_AUDIENCE: CLAIMS.audience,
    SHUTDOWN_GRACE_MS: '3000',
  };
  if (plan.mode === 'routes-file') {
    const file = join(dir, 'gateway.routes.yaml');
    writeFileSync(file, routesYaml(plan));
    env.GATEWAY_ROUTES_FILE = file;
  }
  return env;
}

/**
 * Starts the built gateway (`node [nodeArgs] <entry>`) and checks both routes: the user route refuses a
 * request without a token (401) and answers the upstream's body with one; the public route answers
 * without. Returns the two endpoints and what the user route's response showed of the rate limit.
 * @param {StartContext & { entry: string, plan: ReturnType<typeof gatewayPlan>, jwksUrl: string, token: string, name?: string, nodeArgs?: string[], extraEnv?: Record<string, string> }} ctx
 */
export async function startGateway(ctx) {
  const name = ctx.name ?? 'gateway';
  const port = await freePort();
  const env = { ...gatewayEnv(ctx.plan, { port, upstreamPort: ctx.upstreamPort, jwksUrl: ctx.jwksUrl, dir: ctx.dir }), ...ctx.extraEnv };
  const entry = ctx.processes.start(name, ctx.core, ctx.node, [...(ctx.nodeArgs ?? []), ctx.entry], { env });
  const base = `http://127.0.0.1:${port}`;
  const user = { url: `${base}${ctx.plan.authPath}`, headers: { authorization: `Bearer ${ctx.token}` } };
  const open = { url: `${base}${ctx.plan.publicPath}`, headers: {} };
  await waitUntilServing(name, open.url, { entry, accept: answersItem });
  await waitUntilServing(`${name} (user route without a token, expecting 401)`, user.url, { entry, accept: (status) => status === 401, timeoutMs: 5_000 });
  await waitUntilServing(`${name} (user route with a token)`, user.url, { entry, headers: user.headers, accept: answersItem, timeoutMs: 5_000 });
  const probe = await fetch(user.url, { headers: user.headers, signal: AbortSignal.timeout(2_000) });
  await probe.arrayBuffer();
  const rateLimitHeaders = [...probe.headers.keys()].filter((key) => /ratelimit/i.test(key));
  return { entry, user, open, rateLimitHeaders };
}
