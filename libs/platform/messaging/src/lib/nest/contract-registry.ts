import type { MessageContract } from '../envelope/message-contract';

/** Looks contracts up by message type; the pattern strings of Nest handlers and clients are those types. */
export class ContractRegistry {
  private readonly byType = new Map<string, MessageContract>();

  /** Throws when two different contracts claim one type: which schema validates would depend on order. */
  constructor(contracts: readonly MessageContract[], owner: string) {
    for (const contract of contracts) {
      const known = this.byType.get(contract.type);
      if (known && known !== contract) {
        throw new TypeError(`${owner}: two different contracts for "${contract.type}" in \`contracts\`; list each message type once`);
      }
      this.byType.set(contract.type, contract);
    }
  }

  find(type: string): MessageContract | undefined {
    return this.byType.get(type);
  }
}

/** True when `value` looks like a {@link MessageContract} (contracts are structural, so no instanceof). */
export function isMessageContract(value: unknown): value is MessageContract {
  const candidate = value as Partial<MessageContract> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.type === 'string' &&
    typeof candidate.version === 'number' &&
    typeof (candidate.schema as { safeParse?: unknown } | undefined)?.safeParse === 'function'
  );
}
