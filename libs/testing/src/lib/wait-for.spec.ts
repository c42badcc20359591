import { waitFor } from './wait-for';

describe(waitFor.name, () => {
  it('returns the first defined value', async () => {
    let calls = 0;
    const sut = await waitFor(() => (++calls >= 3 ? calls : undefined), { what: 'three calls', intervalMs: 1 });
    expect(sut).toBe(3);
  });

  it('names what it waited for on timeout', async () => {
    await expect(waitFor(() => false, { what: 'the moon', timeoutMs: 30, intervalMs: 5 })).rejects.toThrow(/waiting for the moon/);
  });
});
