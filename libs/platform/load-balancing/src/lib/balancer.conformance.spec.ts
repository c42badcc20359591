import { describeBalancer } from './balancer.conformance';
import { ConsistentHashBalancer } from './consistent-hash.balancer';
import { LeastPendingBalancer } from './least-pending.balancer';
import { PendingTracker } from './pending.tracker';
import { PowerOfTwoChoicesBalancer } from './power-of-two-choices.balancer';
import { RandomBalancer } from './random.balancer';
import { RoundRobinBalancer } from './round-robin.balancer';
import { seededRandom } from './seeded-random';
import { WeightedBalancer } from './weighted.balancer';
import { ZonePreferringBalancer } from './zone-preferring.balancer';

describeBalancer(RoundRobinBalancer.name, () => new RoundRobinBalancer());
describeBalancer(RandomBalancer.name, () => new RandomBalancer(seededRandom(1)));
describeBalancer(WeightedBalancer.name, () => new WeightedBalancer());
describeBalancer(LeastPendingBalancer.name, () => new LeastPendingBalancer(new PendingTracker()));
describeBalancer(PowerOfTwoChoicesBalancer.name, () => new PowerOfTwoChoicesBalancer(new PendingTracker(), seededRandom(1)));
describeBalancer(ConsistentHashBalancer.name, () => new ConsistentHashBalancer());
describeBalancer(ZonePreferringBalancer.name, () => new ZonePreferringBalancer('z1', new RoundRobinBalancer()));
