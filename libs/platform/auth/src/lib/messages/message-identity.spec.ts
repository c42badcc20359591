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

  it('refuses an occurredAt that is not an instant', async () => {
    const stamped = await stamper.stamp({ ...envelope(), occurredAt: 'yesterday' });

    await expect(sut.verify(stamped)).rejects.toMatchObject({ message: 'message identity: occurredAt is not an ISO-8601 instant' });
  });
});
