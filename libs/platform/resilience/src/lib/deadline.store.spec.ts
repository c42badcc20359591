import { setTimeout as sleep } from 'node:timers/promises';
import { Deadline } from './deadline';
import { DeadlineStore } from './deadline.store';

describe(DeadlineStore.name, () => {
  it('hands the deadline to the async work started inside run, and nothing outside it', async () => {
    const deadline = Deadline.after(1_000);
    const seen = await DeadlineStore.run(deadline, async () => {
      await sleep(1);
      return DeadlineStore.current();
    });
    expect(seen).toBe(deadline);
    expect(DeadlineStore.current()).toBeUndefined();
  });
});
