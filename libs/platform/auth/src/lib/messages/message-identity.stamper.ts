import { DEFAULT_MESSAGE_AUDIENCE, type MessageIdentity, type ServiceTokenSource } from './message-identity';

/**
 * Publishing side: attaches a signed identity to an envelope before it goes to the outbox. With
 * `onBehalfOf` (the end user's access token from the request) the message says "service X, for user Y";
 * without it, "service X". The user's access token itself never goes into the message.
 */
export class MessageIdentityStamper {
  constructor(
    private readonly tokens: ServiceTokenSource,
    private readonly audience: string = DEFAULT_MESSAGE_AUDIENCE,
  ) {}

  /** Returns a copy of `envelope` with `identity` set. */
  async stamp<E extends object>(envelope: E, options: { onBehalfOf?: string } = {}): Promise<E & { identity: MessageIdentity }> {
    const token = options.onBehalfOf === undefined ? await this.tokens.token(this.audience) : await this.tokens.onBehalfOf(options.onBehalfOf, this.audience);
    return { ...envelope, identity: { token } };
  }
}
