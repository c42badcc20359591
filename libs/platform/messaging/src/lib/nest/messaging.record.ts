/** Envelope metadata and request options for one `MessagingClient.send` or `emit`. */
export interface MessagingRecordOptions {
  /** Ordering key, usually the aggregate id. */
  key?: string;
  /** Business-flow id; spread `causedBy(ctx.getEnvelope())` to continue the flow of the message being handled. */
  correlationId?: string;
  causationId?: string;
  traceparent?: string;
  /** Overrides the client's `requestTimeoutMs` for this request (`send` only). */
  timeoutMs?: number;
}

/**
 * Data plus envelope options, for when `client.send(pattern, data)` needs more than the payload:
 * `client.send(ReserveStock.type, new MessagingRecord(payload, { ...causedBy(envelope), timeoutMs: 2000 }))`.
 */
export class MessagingRecord<T = unknown> {
  constructor(
    readonly data: T,
    readonly options: MessagingRecordOptions = {},
  ) {}
}
