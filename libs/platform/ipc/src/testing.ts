export { endpointPair } from './lib/endpoint-pair';
