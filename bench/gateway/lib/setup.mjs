// What the benchmark needs before it starts: wrk and nginx (Debian packages, installed when missing and
// running as root), the peers in bench/gateway/peers/node_modules, the built gateway; and the facts
// about the machine and versions a recorded result must state.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { hasCommand } from './processes.mjs';

const HERE = new URL('..', import.meta.url).pathname;
export const REPO = join(HERE, '..', '..');
export const PEERS = join(HERE, 'peers');

let aptUpdated = false;

/** Installs the first of `packages` that apt can install; throws naming the fix when none can. */
function aptInstall(what, packages) {
  if (process.getuid?.() !== 0) throw new Error(`bench: ${what} is missing; install it (apt-get install -y ${packages[0]}) or run as root to let the bench install it`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    console.log('bench: apt-get update');
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env, timeout: 300_000 });
    aptUpdated = true;
  }
  for (const name of packages) {
    console.log(`bench: apt-get install -y ${name}`);
    if (spawnSync('apt-get', ['install', '-y', '-qq', name], { stdio: 'inherit', env, timeout: 600_000 }).status === 0) return;
  }
  throw new Error(`bench: could not install ${what} (tried ${packages.join(', ')}); install it by hand`);
}

/** wrk, nginx and (with 2+ cores) taskset on this machine; returns the nginx binary. */
export function ensureTools({ pin, nginx }) {
  if (!hasCommand('wrk')) aptInstall('wrk', ['wrk']);
  if (nginx && !hasCommand('/usr/sbin/nginx')) aptInstall('nginx (/usr/sbin/nginx)', ['nginx-light', 'nginx']);
  if (pin && !hasCommand('taskset')) aptInstall('taskset', ['util-linux']);
  return '/usr/sbin/nginx';
}

/** Installs the peers from peers/package-lock.json when their node_modules is missing. */
export function ensurePeers() {
  if (existsSync(join(PEERS, 'node_modules', 'moleculer-web', 'package.json')) && existsSync(join(PEERS, 'node_modules', '@fastify', 'reply-from', 'package.json'))) return;
  console.log('bench: installing the peers (npm ci --prefix bench/gateway/peers)');
  const npm = spawnSync('npm', ['ci', '--prefix', PEERS, '--no-audit', '--no-fund'], { stdio: 'inherit', timeout: 600_000 });
  if (npm.status !== 0) throw new Error('bench: npm ci --prefix bench/gateway/peers failed; run it by hand to see why');
}

/** The built gateway entry; builds once (`node scripts/build.mjs`) when it is missing. */
export function ensureGatewayBuild(entry) {
  if (existsSync(entry)) return entry;
  console.log('bench: dist/ has no gateway, building (node scripts/build.mjs)');
  const build = spawnSync(process.execPath, [join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, stdio: 'inherit', timeout: 300_000 });
  if (build.status !== 0 || !existsSync(entry)) throw new Error(`bench: build did not produce ${entry}; run node scripts/build.mjs to see why`);
  return entry;
}

const peerVersion = (name) => {
  try {
    return JSON.parse(readFileSync(join(PEERS, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
};

/** "nginx 1.22.1, wrk 4.1.0, ..." for the report. */
export function versions(nginx) {
  const nginxVersion = /nginx\/([\d.]+)/.exec(spawnSync(nginx, ['-v'], { encoding: 'utf8' }).stderr ?? '')?.[1] ?? '?';
  const wrk = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  const wrkVersion = /wrk (?:debian\/)?([\w.+-]+)/.exec(`${wrk.stdout}${wrk.stderr}`)?.[1] ?? '?';
  return [
    `Node ${process.version}`,
    `nginx ${nginxVersion} (Debian package)`,
    `wrk ${wrkVersion}`,
    `moleculer ${peerVersion('moleculer')}`,
    `moleculer-web ${peerVersion('moleculer-web')}`,
    `fastify ${peerVersion('fastify')}`,
    `@fastify/reply-from ${peerVersion('@fastify/reply-from')}`,
  ].join(', ');
}

/** "Intel(R) Xeon(R) ..., 2 cores; load average 0.4 at the start" for the report. */
export function machine() {
  const list = cpus();
  return `${list[0]?.model ?? 'unknown CPU'}, ${list.length} cores; load average ${loadavg()[0].toFixed(2)} at the start`;
}
