import { DEFAULT_MESSAGE_AUDIENCE, type MessageIdentity } from '../messages/message-identity';
import { MessageIdentityStamper } from '../messages/message-identity.stamper';
import { MessageIdentityVerifier } from '../messages/message-identity.verifier';
import { FakeServiceTokenProvider } from './fake-service-token.provider';
import { TestTokens } from './test-tokens.fake';

/**
 * Signed message identities for consumer tests: sign an envelope as any service (for itself or on behalf
 * of a user) with a {@link TestTokens} issuer, and verify with the {@link MessageIdentityVerifier} a
 * service would build for the default messaging audience.
 */
export class TestMessageIdentities {
  private constructor(readonly issuer: TestTokens) {}

  static async create(): Promise<TestMessageIdentities> {
    return new TestMessageIdentities(await TestTokens.create());
  }

  /** The verifier a consuming service uses, trusting this issuer. */
  verifier(): MessageIdentityVerifier {
    return new MessageIdentityVerifier({ verifier: this.issuer.serviceVerifier(DEFAULT_MESSAGE_AUDIENCE) });
  }

  /** `envelope` signed by `service`, or by `service` acting for `forUser`. */
  async signedBy<E extends object>(service: string, envelope: E, options: { forUser?: string } = {}): Promise<E & { identity: MessageIdentity }> {
    const stamper = new MessageIdentityStamper(new FakeServiceTokenProvider(this.issuer, service));
    if (options.forUser === undefined) return stamper.stamp(envelope);
    return stamper.stamp(envelope, { onBehalfOf: await this.issuer.sign({ subject: options.forUser, roles: ['user'] }) });
  }

  /** `envelope` signed by `service` of another issuer, whose keys no verifier here trusts. */
  static async foreign<E extends object>(service: string, envelope: E): Promise<E & { identity: MessageIdentity }> {
    return new TestMessageIdentities(await TestTokens.create()).signedBy(service, envelope);
  }

  /** `envelope` with its signed identity's payload altered (the signature no longer matches). */
  static tampered<E extends { identity: MessageIdentity }>(envelope: E, claims: Record<string, unknown>): E {
    return { ...envelope, identity: { token: TestTokens.tamper(envelope.identity.token, claims) } };
  }
}
