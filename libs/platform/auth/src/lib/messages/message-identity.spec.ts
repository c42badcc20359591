import { FakeServiceTokenProvider, TestTokens } from '../../testing';
import { MessageIdentityStamper } from './message-identity.stamper';
import { MessageIdentityVerifier } from './message-identity.verifier';

describe(MessageIdentityVerifier.name, () => {
  const produced = new Date('2030-01-01T00:00:00Z');
  let now: Date;
  let issuer: TestTokens;
  let stamper: MessageIdentityStamper;
  let sut: MessageIdentityVerifier;
  const envelope = () => ({ id: 'm-1', type: 'orders.order-placed', occurredAt: produced.toISOString(), payload: { orderId: 'o-1' } });

  beforeEach(async () => {
    now = produced;
    issuer = await TestTokens.create({ now: () => produced });
    stamper = new MessageIdentityStamper(new FakeServiceTokenProvider(issuer, 'orders'));
    sut = new MessageIdentityVerifier({ verifier: issuer.serviceVerifier('nestkit-messaging'), maxAgeSec: 3_600, clock: () => now });
  });

  it('round-trips the publishing service as the principal of a message', async () => {
    const stamped = await stamper.stamp(envelope());

    expect(stamped).toMatchObject({ ...envelope(), identity: { token: expect.any(String) } });
    await expect(sut.verify(stamped)).resolves.toMatchObject({ subject: 'orders', kind: 'service' });
  });

  it('round-trips the user as principal with the service as actor when published on behalf of a user', async () => {
    const userToken = await issuer.sign({ subject: 'user-7', roles: ['user'] });

    const principal = await sut.verify(await stamper.stamp(envelope(), { onBehalfOf: userToken }));

    expect(principal).toMatchObject({ subject: 'user-7', kind: 'user', roles: ['user'], actor: { subject: 'orders', kind: 'service' } });
  });

  it('still verifies a redelivery after the token expired, judged as of occurredAt', async () => {
    const stamped = await stamper.stamp(envelope());
    now = new Date(produced.getTime() + 30 * 60_000);

    await expect(sut.verify(stamped)).resolves.toMatchObject({ subject: 'orders' });
  });

  it('refuses a message older than maxAgeSec and one from the future', async () => {
    const stamped = await stamper.stamp(envelope());

    now = new Date(produced.getTime() + 3_601_000);
    await expect(sut.verify(stamped)).rejects.toMatchObject({ code: 'invalid-message-identity', message: 'message identity: message is 3601 s old, more than the 3600 s allowed' });
    now = new Date(produced.getTime() - 60_000);
    await expect(sut.verify(stamped)).rejects.toMatchObject({ message: 'message identity: occurredAt is in the future' });
  });

  it('refuses a missing identity, a user access token, another audience and a tampered token', async () => {
    const bare = envelope();
    const userToken = { ...bare, identity: { token: await issuer.sign() } };
    const otherAudience = { ...bare, identity: { token: await issuer.signService({ audience: 'catalog' }) } };
    const stamped = await stamper.stamp(bare);
    const tampered = { ...stamped, identity: { token: TestTokens.tamper(stamped.identity.token, { sub: 'catalog' }) } };

    await expect(sut.verify(bare)).rejects.toMatchObject({ code: 'missing-message-identity' });
    await expect(sut.verify(userToken)).rejects.toMatchObject({ message: 'message identity: token type must be service+jwt' });
    await expect(sut.verify(otherAudience)).rejects.toMatchObject({ message: 'message identity: audience mismatch' });
    await expect(sut.verify(tampered)).rejects.toMatchObject({ message: 'message identity: signature invalid' });
  });

  it('accepts the signing service as producer, for itself or acting for a user, and refuses another', async () => {
    const userToken = await issuer.sign({ subject: 'user-7', roles: ['user'] });
    const own = await stamper.stamp({ ...envelope(), producer: 'orders' });
    const forUser = await stamper.stamp({ ...envelope(), producer: 'orders' }, { onBehalfOf: userToken });
    const impostor = await stamper.stamp({ ...envelope(), producer: 'catalog' }, { onBehalfOf: userToken });

    await expect(sut.verify(own)).resolves.toMatchObject({ subject: 'orders' });
    await expect(sut.verify(forUser)).resolves.toMatchObject({ subject: 'user-7', actor: { subject: 'orders' } });
    await expect(sut.verify(impostor)).rejects.toMatchObject({
      code: 'invalid-message-identity',
      message: 'message identity: signed by "orders", but the envelope names producer "catalog"',
    });
  });

  it('accepts only the senders named in `from`, judging a service acting for a user by the service', async () => {
    const userToken = await issuer.sign({ subject: 'user-7', roles: ['user'] });
    const own = await stamper.stamp(envelope());
    const forUser = await stamper.stamp(envelope(), { onBehalfOf: userToken });

    await expect(sut.verify(own, { from: ['catalog', 'orders'] })).resolves.toMatchObject({ subject: 'orders' });
    await expect(sut.verify(forUser, { from: ['orders'] })).resolves.toMatchObject({ subject: 'user-7', actor: { subject: 'orders' } });
    await expect(sut.verify(own, { from: ['catalog'] })).rejects.toMatchObject({
      code: 'invalid-message-identity',
      message: 'message identity: signed by "orders", but only "catalog" may send it',
    });
    await expect(sut.verify(forUser, { from: [] })).rejects.toMatchObject({ message: 'message identity: signed by "orders", but no service may send it' });
  });

  it('refuses an occurredAt that is not an instant', async () => {
    const stamped = await stamper.stamp({ ...envelope(), occurredAt: 'yesterday' });

    await expect(sut.verify(stamped)).rejects.toMatchObject({ message: 'message identity: occurredAt is not an ISO-8601 instant' });
  });
});

describe(`${MessageIdentityStamper.name}.sign (the outbox relay's signer)`, () => {
  const produced = new Date('2030-01-01T00:00:00Z');
  const relayed = new Date(produced.getTime() + 10 * 60_000);
  const envelope = (id: string) => ({ id, type: 'catalog.stock-reserved', occurredAt: produced.toISOString(), producer: 'catalog', payload: {} });

  it('signs the unsigned envelopes of a batch with one token and keeps identities already there', async () => {
    const issuer = await TestTokens.create({ now: () => relayed });
    const tokens = new FakeServiceTokenProvider(issuer, 'catalog');
    const sut = new MessageIdentityStamper(tokens);
    const forUser = { ...envelope('m-2'), identity: { token: 'signed-on-behalf-of-a-user' } };

    const signed = await sut.sign([envelope('m-1'), forUser, envelope('m-3')]);

    expect(tokens.requests).toEqual([{ audience: 'nestkit-messaging' }]);
    expect(signed.map((e) => e.id)).toEqual(['m-1', 'm-2', 'm-3']);
    expect(signed[1]).toBe(forUser);
    expect(signed[0]?.identity?.token).toEqual(expect.any(String));
    expect(signed[2]?.identity).toBe(signed[0]?.identity);
  });

  it('asks for no token when every envelope is signed already', async () => {
    const tokens = new FakeServiceTokenProvider(await TestTokens.create(), 'catalog');
    const signed = { ...envelope('m-1'), identity: { token: 'already' } };

    expect(await new MessageIdentityStamper(tokens).sign([signed])).toEqual([signed]);
    expect(tokens.requests).toEqual([]);
  });

  it('signs with a token issued after occurredAt (the relay ran later) that still verifies as of occurredAt', async () => {
    const issuer = await TestTokens.create({ now: () => relayed });
    const [signed] = await new MessageIdentityStamper(new FakeServiceTokenProvider(issuer, 'catalog')).sign([envelope('m-1')]);
    const verifier = new MessageIdentityVerifier({ verifier: issuer.serviceVerifier('nestkit-messaging'), clock: () => relayed });

    await expect(verifier.verify(signed as ReturnType<typeof envelope>, { from: ['catalog'] })).resolves.toMatchObject({ subject: 'catalog', kind: 'service' });
  });
});
