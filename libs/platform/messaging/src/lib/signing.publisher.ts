import type { Envelope } from './envelope/envelope';
import type { Publisher } from './publisher';

/**
 * Attaches the sender's signed identity to outgoing envelopes, e.g. `@nestkit/auth`'s
 * `MessageIdentityStamper`, which signs every envelope that has no identity yet as this service. Written
 * here as a port so that messaging does not depend on auth.
 */
export interface MessageSigner {
  /** The same envelopes, in the same order, each with an `identity`; rejects when no identity can be had now. */
  sign(envelopes: readonly Envelope[]): Promise<Envelope[]>;
}

/**
 * A {@link Publisher} that signs each batch before handing it on. Put in front of the outbox relay's
 * publisher (`MessagingModule.forRoot({ signer })`), it signs messages as they leave: outside the
 * business transaction, and when identity cannot be reached the publish rejects, so the rows stay in the
 * outbox and go out signed on a later pass. Nothing is sent unsigned.
 */
export class SigningPublisher implements Publisher {
  constructor(
    private readonly inner: Publisher,
    private readonly signer: MessageSigner,
  ) {}

  async publish(envelopes: Envelope | readonly Envelope[]): Promise<void> {
    const batch = Array.isArray(envelopes) ? (envelopes as readonly Envelope[]) : [envelopes as Envelope];
    if (batch.length === 0) return;
    await this.inner.publish(await this.signer.sign(batch));
  }
}
