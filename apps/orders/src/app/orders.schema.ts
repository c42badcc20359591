import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '@nestkit/messaging';
import { CreateOrders1732500000300 } from '../migrations/1732500000300-create-orders';
import { AddOrderSagaTimeout1732500000301 } from '../migrations/1732500000301-add-order-saga-timeout';
import { OrderEntity } from './orders/order.entity';

/** The orders database: its entities and the migrations that build them, in order. */
export const ORDERS_SCHEMA = {
  entities: [OrderEntity, ...MESSAGING_ENTITIES],
  migrations: [...MESSAGING_MIGRATIONS, CreateOrders1732500000300, AddOrderSagaTimeout1732500000301],
};
