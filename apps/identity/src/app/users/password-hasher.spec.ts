import { PasswordHasher } from './password-hasher';

async function elapsedMs(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

function median(samples: number[]): number {
  return [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] as number;
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

    const paths = { known: () => sut.verifyOrDummy(stored, 'wrong'), unknown: () => sut.verifyOrDummy(undefined, 'wrong') };
    const samples = { known: [] as number[], unknown: [] as number[] };
    // Interleaved, the first of each pair alternating, so a slow spell of the machine weighs on both paths alike.
    for (let i = 0; i < 7; i += 1) {
      const order = i % 2 === 0 ? (['known', 'unknown'] as const) : (['unknown', 'known'] as const);
      for (const path of order) samples[path].push(await elapsedMs(paths[path]));
    }
    const ratio = median(samples.unknown) / median(samples.known);
    const detail = `known ${samples.known.map(Math.round).join(', ')} ms; unknown ${samples.unknown.map(Math.round).join(', ')} ms`;

    // Same argon2 cost on both paths; the wide band only absorbs noise on a shared machine.
    expect(ratio, detail).toBeGreaterThan(0.5);
    expect(ratio, detail).toBeLessThan(2);
  });
});
