import type { ServiceTokenSource } from '../messages/message-identity';
import type { TestTokens } from './test-tokens.fake';

/**
 * A {@link ServiceTokenSource} that signs tokens locally with a {@link TestTokens} issuer instead of
 * calling identity, and records what was asked for.
 */
export class FakeServiceTokenProvider implements ServiceTokenSource {
  /** Every request, in order: the audience and, for on-behalf-of tokens, the user token. */
  readonly requests: { audience?: string; userToken?: string }[] = [];

  constructor(
    private readonly issuer: TestTokens,
    private readonly clientId = 'orders',
  ) {}

  token(audience?: string): Promise<string> {
    this.requests.push({ ...(audience ? { audience } : {}) });
    return this.issuer.signService({ clientId: this.clientId, ...(audience ? { audience } : {}) });
  }

  /** Signs an on-behalf-of token for the subject of `userToken` (read without verification: it is a fake). */
  onBehalfOf(userToken: string, audience?: string): Promise<string> {
    this.requests.push({ ...(audience ? { audience } : {}), userToken });
    const user = JSON.parse(Buffer.from(userToken.split('.')[1] ?? '', 'base64url').toString()) as { sub: string; roles?: string[] };
    return this.issuer.sign({
      subject: user.sub,
      roles: user.roles ?? [],
      header: { typ: 'service+jwt' },
      claims: { aud: audience ?? 'catalog', client_id: this.clientId, act: { sub: this.clientId } },
    });
  }

  async authorizationHeader(audience: string): Promise<string> {
    return `Bearer ${await this.token(audience)}`;
  }
}
