import { platformMetrics } from '@nestkit/metrics';

/** How order sagas end: `confirmed`, `rejected` (stock short), `cancelled` (catalog did not answer in time). */
export const sagaOutcomes = platformMetrics.counter({
  name: 'nestkit_saga_outcomes_total',
  help: 'Sagas that ended, by saga and outcome.',
  labelNames: ['saga', 'outcome'],
});
