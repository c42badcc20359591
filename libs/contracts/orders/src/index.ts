export {
  OrderCancelled,
  OrderCancelledPayload,
  OrderConfirmed,
  OrderConfirmedPayload,
  OrderPlaced,
  OrderPlacedPayload,
  OrderRejected,
  OrderRejectedPayload,
  OrdersEvents,
} from './lib/orders.events';
export { Order, OrderItem, OrderStatus, PlaceOrderRequest } from './lib/orders.http';
