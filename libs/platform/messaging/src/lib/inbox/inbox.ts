import { inTransaction } from '@nestkit/database';
import type { DataSource, EntityManager } from 'typeorm';
import type { Envelope } from '../envelope/envelope';
import { InboxMessage } from './inbox-message.entity';

/**
 * The consumer side of effectively-once handling: a message's effect and the record that it was handled
 * commit in one transaction, so a redelivered message (at-least-once) changes nothing the second time.
 */
export class Inbox {
  /**
   * Runs `effect` and records (`consumer`, `envelope.id`) in one transaction. Resolves false without
   * running the effect when the message was already handled; rejects (recording nothing) if the effect fails.
   */
  static async handleOnce(
    dataSource: DataSource,
    consumer: string,
    envelope: Envelope,
    effect: (manager: EntityManager) => Promise<void>,
  ): Promise<boolean> {
    const key = { consumer, messageId: envelope.id };
    try {
      return await inTransaction(dataSource, async (manager) => {
        if (await manager.existsBy(InboxMessage, key)) return false;
        await effect(manager);
        await manager.insert(InboxMessage, { ...key, handledAt: new Date() });
        return true;
      });
    } catch (error) {
      // A concurrent delivery of the same message committed first: its effect stands and ours rolled back.
      if (await dataSource.getRepository(InboxMessage).existsBy(key)) return false;
      throw error;
    }
  }
}
