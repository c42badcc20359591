import { createEnvelope } from './envelope/envelope';
import { type MessageSigner, SigningPublisher } from './signing.publisher';
import { tick, tickContract } from './testing/conformance.fixtures';

describe(SigningPublisher.name, () => {
  const contract = tickContract();
  const signer = (token: string): MessageSigner & { calls: number } => ({
    calls: 0,
    async sign(envelopes) {
      this.calls += 1;
      return envelopes.map((envelope) => ({ ...envelope, identity: { token } }));
    },
  });

  it('hands the signed batch on, in order', async () => {
    const published: unknown[] = [];
    const inner = { publish: async (batch: unknown) => void published.push(batch) };
    const sut = new SigningPublisher(inner, signer('t-1'));
    const [one, two] = [tick(contract, 1), tick(contract, 2)];

    await sut.publish([one, two]);
    await sut.publish(one);

    expect(published).toEqual([
      [{ ...one, identity: { token: 't-1' } }, { ...two, identity: { token: 't-1' } }],
      [{ ...one, identity: { token: 't-1' } }],
    ]);
  });

  it('publishes nothing, and rejects, when the signer cannot sign (the outbox keeps the rows)', async () => {
    const published: unknown[] = [];
    const sut = new SigningPublisher({ publish: async (batch) => void published.push(batch) }, { sign: () => Promise.reject(new Error('identity is down')) });

    await expect(sut.publish(createEnvelope(contract, { n: 1 }, { producer: 'catalog' }))).rejects.toThrow('identity is down');
    expect(published).toEqual([]);
  });

  it('does not ask the signer about an empty batch', async () => {
    const counting = signer('t-1');
    const published: unknown[] = [];
    await new SigningPublisher({ publish: async (batch) => void published.push(batch) }, counting).publish([]);

    expect(counting.calls).toBe(0);
    expect(published).toEqual([]);
  });
});
