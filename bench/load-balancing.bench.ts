import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  type Balancer,
  ConsistentHashBalancer,
  LeastPendingBalancer,
  OutlierDetector,
  PendingTracker,
  PowerOfTwoChoicesBalancer,
  RandomBalancer,
  RoundRobinBalancer,
  WeightedBalancer,
  ZonePreferringBalancer,
} from '@nestkit/load-balancing';
import { seededRandom } from '@nestkit/load-balancing/testing';
import { bench, describe } from 'vitest';

// Picks per second of every strategy at 3, 30 and 300 instances, side by side with the npm packages
// that implement the same strategy. Each bench iteration makes BATCH picks, so the harness's own
// per-iteration cost does not swamp a 20 ns pick: picks/s = hz * BATCH.
const BATCH = 1_000;
const SIZES = [3, 30, 300];
// More distinct keys than hashring's 5,000-entry LRU cache holds, so both rings really hash.
const KEYS = Array.from({ length: 65_536 }, (_, i) => `user-${i}`);
const OPTIONS = { time: 1_000, warmupTime: 200 };

interface Instance {
  readonly id: string;
  readonly zone: string;
  readonly metadata: Readonly<Record<string, string>>;
}

interface Peers {
  readonly HashRing: new (servers: string[]) => { get(key: string): string };
  readonly P2cBalancer: new (count: number) => { pick(): number };
  readonly RandomBalancer: new (count: number) => { pick(): number };
  readonly WeightedPeers: new () => { add(peer: { id: string; weight: number }): string; get(): { id: string } };
}

// The peers are devDependencies of the repo (run from its root); BENCH_PEERS_DIR points at a folder with them installed instead
// (`npm install --prefix /tmp/lbpeer hashring load-balancers weighted-round-robin`).
function loadPeers(): Peers {
  const dir = process.env['BENCH_PEERS_DIR'];
  const require = createRequire(join(dir ?? process.cwd(), 'package.json'));
  try {
    return {
      HashRing: require('hashring'),
      P2cBalancer: require('load-balancers').P2cBalancer,
      RandomBalancer: require('load-balancers').RandomBalancer,
      WeightedPeers: require('weighted-round-robin'),
    };
  } catch (error) {
    throw new Error('Benchmark peers missing: run npm ci, or set BENCH_PEERS_DIR (see bench/README.md)', { cause: error });
  }
}

const peers = loadPeers();

function fleet(size: number): readonly Instance[] {
  return Object.freeze(
    Array.from({ length: size }, (_, i) => ({
      id: `catalog-${i}`,
      zone: `zone-${i % 3}`,
      metadata: { weight: String(1 + (i % 3)) },
    })),
  );
}

function busyTracker(instances: readonly Instance[]): PendingTracker {
  const tracker = new PendingTracker();
  const rng = seededRandom(1);
  for (const { id } of instances) for (let n = Math.floor(rng() * 10); n > 0; n -= 1) tracker.start(id);
  return tracker;
}

function pickBatch(balancer: Balancer<Instance>, instances: readonly Instance[]): () => void {
  return () => {
    for (let i = 0; i < BATCH; i += 1) balancer.pick(instances);
  };
}

function pickKeyedBatch(balancer: Balancer<Instance>, instances: readonly Instance[]): () => void {
  let next = 0;
  return () => {
    for (let i = 0; i < BATCH; i += 1) balancer.pick(instances, KEYS[(next = (next + 1) & 0xffff)]);
  };
}

function batch(pick: () => unknown): () => void {
  return () => {
    for (let i = 0; i < BATCH; i += 1) pick();
  };
}

for (const size of SIZES) {
  const instances = fleet(size);
  const ids = instances.map((instance) => instance.id);

  describe(`round-robin, ${size} instances`, () => {
    bench('nestkit RoundRobinBalancer', pickBatch(new RoundRobinBalancer(), instances), OPTIONS);
    const outliers = new OutlierDetector();
    for (let n = 0; n < 5; n += 1) outliers.recordFailure(ids[0]);
    const behindOutliers = new RoundRobinBalancer<Instance>();
    bench(
      'nestkit RoundRobinBalancer behind OutlierDetector.filter (1 ejected)',
      batch(() => behindOutliers.pick(outliers.filter(instances))),
      OPTIONS,
    );
    const zoned = new ZonePreferringBalancer<Instance>('zone-0', new RoundRobinBalancer());
    bench('nestkit ZonePreferringBalancer(RoundRobin)', pickBatch(zoned, instances), OPTIONS);
  });

  describe(`random, ${size} instances`, () => {
    bench('nestkit RandomBalancer', pickBatch(new RandomBalancer(), instances), OPTIONS);
    const peer = new peers.RandomBalancer(size);
    bench('load-balancers RandomBalancer', batch(() => instances[peer.pick()]), OPTIONS);
  });

  describe(`weighted, ${size} instances`, () => {
    bench('nestkit WeightedBalancer', pickBatch(new WeightedBalancer(), instances), OPTIONS);
    const peer = new peers.WeightedPeers();
    for (const instance of instances) peer.add({ id: instance.id, weight: Number(instance.metadata['weight']) });
    bench('weighted-round-robin Peers', batch(() => peer.get()), OPTIONS);
  });

  describe(`least-pending and p2c, ${size} instances`, () => {
    const tracker = busyTracker(instances);
    bench('nestkit LeastPendingBalancer', pickBatch(new LeastPendingBalancer(tracker), instances), OPTIONS);
    bench('nestkit PowerOfTwoChoicesBalancer', pickBatch(new PowerOfTwoChoicesBalancer(tracker), instances), OPTIONS);
    const peer = new peers.P2cBalancer(size);
    bench('load-balancers P2cBalancer', batch(() => instances[peer.pick()]), OPTIONS);
  });

  describe(`consistent hash, ${size} instances`, () => {
    bench('nestkit ConsistentHashBalancer (160 vnodes)', pickKeyedBatch(new ConsistentHashBalancer(), instances), OPTIONS);
    const ring = new peers.HashRing(ids);
    let next = 0;
    bench('hashring HashRing (160 points, md5)', batch(() => ring.get(KEYS[(next = (next + 1) & 0xffff)])), OPTIONS);
  });
}
