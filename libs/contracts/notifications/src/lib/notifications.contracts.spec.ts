import { Notification, NotificationKind } from '../index';

const paths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((issue) => issue.path.join('.')) ?? [];

describe('@nestkit/contracts/notifications', () => {
  const notification = {
    id: 'n1',
    userId: 'u1',
    kind: 'order-confirmed',
    message: 'Your order o1 is confirmed.',
    orderId: 'o1',
    createdAt: '2025-01-01T10:00:00.000Z',
  };

  it('accepts a notification, with or without an order id', () => {
    expect(Notification.parse(notification)).toEqual(notification);
    const welcome = { ...notification, kind: 'user-registered', orderId: undefined };
    expect(Notification.parse(welcome)).toEqual({ ...welcome, orderId: undefined });
  });

  it('lists one kind per consumed event', () => {
    expect(NotificationKind.options).toEqual(['user-registered', 'order-placed', 'order-confirmed', 'order-rejected', 'order-cancelled']);
  });

  it.each([
    [{ kind: 'sms' }, ['kind']],
    [{ message: '' }, ['message']],
    [{ createdAt: '2025-01-01' }, ['createdAt']],
    [{ userId: undefined }, ['userId']],
  ])('rejects %j at %j', (patch, expected) => {
    expect(paths(Notification.safeParse({ ...notification, ...patch }))).toEqual(expected);
  });
});
