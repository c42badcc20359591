export { seededRandom } from './lib/seeded-random';
