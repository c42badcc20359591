import { BaseRpcContext } from '@nestjs/microservices';
import type { Envelope } from '../envelope/envelope';

/**
 * The RPC context of a message delivered by {@link MessagingTransport}: inject it with `@Ctx()` to read the
 * envelope (id, correlation and causation ids, trace context, producer). The envelope's payload is the
 * validated one the handler receives.
 */
export class MessagingContext extends BaseRpcContext<[Envelope, string]> {
  /** The envelope the message arrived in; spread `causedBy(envelope)` into the messages it causes. */
  getEnvelope<T = unknown>(): Envelope<T> {
    return this.args[0] as Envelope<T>;
  }

  /** The pattern (message type) the handler was registered for. */
  getPattern(): string {
    return this.args[1];
  }
}
