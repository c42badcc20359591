import { AddInboxHandledAtIndex1732500000002 } from './inbox/add-inbox-handled-at-index.migration';
import { CreateInboxTable1732500000001 } from './inbox/create-inbox-table.migration';
import { InboxMessage } from './inbox/inbox-message.entity';
import { CreateOutboxTable1732500000000 } from './outbox/create-outbox-table.migration';
import { OutboxMessage } from './outbox/outbox-message.entity';

/** The outbox and inbox entities, to add to a service's DataSource `entities`. */
export const MESSAGING_ENTITIES = [OutboxMessage, InboxMessage];

/** The outbox and inbox migrations, to add to a service's DataSource `migrations`. */
export const MESSAGING_MIGRATIONS = [CreateOutboxTable1732500000000, CreateInboxTable1732500000001, AddInboxHandledAtIndex1732500000002];
