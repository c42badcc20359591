import { retrySettings } from './retry.settings';
import { tickContract } from './testing/conformance.fixtures';

describe(retrySettings.name, () => {
  const contract = tickContract();
  const handler = async () => undefined;

  it('fills in 5 deliveries and 200/1000/5000 ms by default, and keeps what is given', () => {
    expect(retrySettings(contract, { group: 'g', handler })).toEqual({ maxDeliveries: 5, retryDelaysMs: [200, 1000, 5000] });
    expect(retrySettings(contract, { group: 'g', handler, maxDeliveries: 1, retryDelaysMs: [0.5] })).toEqual({ maxDeliveries: 1, retryDelaysMs: [0.5] });
  });

  it.each([
    [{ group: ' ' }, `subscribe(${contract.type}): group must not be empty`],
    [{ maxDeliveries: 0 }, `subscribe(${contract.type}): maxDeliveries must be an integer >= 1, got 0`],
    [{ maxDeliveries: 2.5 }, `subscribe(${contract.type}): maxDeliveries must be an integer >= 1, got 2.5`],
    [{ retryDelaysMs: [] }, `subscribe(${contract.type}): retryDelaysMs must be a non-empty list of delays >= 0`],
    [{ retryDelaysMs: [100, -1] }, `subscribe(${contract.type}): retryDelaysMs must be a non-empty list of delays >= 0`],
    [{ retryDelaysMs: [Number.POSITIVE_INFINITY] }, `subscribe(${contract.type}): retryDelaysMs must be a non-empty list of delays >= 0`],
  ])('refuses %o, naming the message type', (bad, message) => {
    expect(() => retrySettings(contract, { group: 'g', handler, ...bad })).toThrow(message);
  });

  it('wants whole milliseconds from a backend that says so, and says why', () => {
    expect(retrySettings(contract, { group: 'g', handler, retryDelaysMs: [0, 250] }, { because: "each is a queue's TTL" }).retryDelaysMs).toEqual([0, 250]);
    expect(() => retrySettings(contract, { group: 'g', handler, retryDelaysMs: [0.5] }, { because: "each is a queue's TTL" })).toThrow(
      `subscribe(${contract.type}): retryDelaysMs must be a non-empty list of whole milliseconds >= 0 (each is a queue's TTL)`,
    );
  });
});
