import { PasswordHasher } from './password-hasher';

async function medianMs(run: () => Promise<unknown>, times: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b)[Math.floor(times / 2)] as number;
}

describe(PasswordHasher.name, () => {
  const sut = new PasswordHasher();

  beforeAll(() => sut.onModuleInit());

  it('verifies the right secret only', async () => {
    const stored = await sut.hash('correct horse battery');

    expect(await sut.verifyOrDummy(stored, 'correct horse battery')).toBe(true);
    expect(await sut.verifyOrDummy(stored, 'wrong')).toBe(false);
    expect(await sut.verifyOrDummy(undefined, 'correct horse battery')).toBe(false);
  });

  it('spends about as long on a missing hash as on a real one, so timing does not reveal unknown accounts', async () => {
    const stored = await sut.hash('correct horse battery');

    const known = await medianMs(() => sut.verifyOrDummy(stored, 'wrong'), 7);
    const unknown = await medianMs(() => sut.verifyOrDummy(undefined, 'wrong'), 7);

    // Same argon2 cost on both paths; the wide band only absorbs noise on a shared machine.
    expect(unknown / known).toBeGreaterThan(0.5);
    expect(unknown / known).toBeLessThan(2);
  });
});
