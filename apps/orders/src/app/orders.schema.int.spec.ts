import { describeSchema } from '@nestkit/database/testing';
import { ORDERS_SCHEMA } from './orders.schema';

describeSchema('orders', ORDERS_SCHEMA);
