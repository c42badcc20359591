import { OpenConsumers } from './open-consumers';

describe(OpenConsumers.name, () => {
  const consumer = (name: string, closed: string[], fail = false) => ({
    close: async () => {
      closed.push(name);
      if (fail) throw new Error(`${name} failed to leave its group`);
    },
  });

  it('closes every consumer still open, even when one fails, and not one closed on its own', async () => {
    const closed: string[] = [];
    const sut = new OpenConsumers();
    const a = sut.add(consumer('a', closed));
    sut.add(consumer('b', closed, true));
    sut.add(consumer('c', closed));

    await a.close();
    await sut.closeAll();

    expect(closed).toEqual(['a', 'b', 'c']);
    await sut.closeAll();
    expect(closed).toEqual(['a', 'b', 'c']);
  });

  it('passes a consumer’s own close failure to its caller', async () => {
    const sut = new OpenConsumers();
    const handle = sut.add(consumer('a', [], true));

    await expect(handle.close()).rejects.toThrow('a failed to leave its group');
  });
});
