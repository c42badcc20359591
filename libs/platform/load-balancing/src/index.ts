export type { Balanceable, Balancer } from './lib/balancer';
export { NoInstancesError } from './lib/no-instances.error';
export { RandomBalancer, type Rng } from './lib/random.balancer';
export { RoundRobinBalancer } from './lib/round-robin.balancer';
