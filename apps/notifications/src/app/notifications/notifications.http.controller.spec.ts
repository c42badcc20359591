import { inMemoryDataSource } from '@nestkit/database/testing';
import type { Principal } from '@nestkit/auth';
import { Notification } from '@nestkit/contracts/notifications';
import { DataSource } from 'typeorm';
import { NotificationEntity } from './notification.entity';
import { NotificationsHttpController } from './notifications.http.controller';
import { NOTIFICATIONS_SCHEMA } from '../notifications.schema';

const principal = (subject: string): Principal => ({ subject, roles: ['user'], tokenId: `token-of-${subject}`, kind: 'user' });

describe(NotificationsHttpController.name, () => {
  let dataSource: DataSource;
  let sut: NotificationsHttpController;

  const store = (id: string, userId: string, createdAt: string, orderId: string | null = 'o-1') =>
    dataSource.getRepository(NotificationEntity).insert({
      id,
      userId,
      kind: 'order-confirmed',
      message: `message ${id}`,
      orderId,
      createdAt: new Date(createdAt),
    });

  beforeEach(async () => {
    dataSource = await inMemoryDataSource(NOTIFICATIONS_SCHEMA);
    sut = new NotificationsHttpController(dataSource.getRepository(NotificationEntity));
    await store('n-1', 'u-1', '2026-01-01T10:00:00.000Z');
    await store('n-2', 'u-2', '2026-01-01T10:00:01.000Z');
    await store('n-3', 'u-1', '2026-01-01T10:00:02.000Z');
    await store('n-4', 'u-1', '2026-01-01T10:00:01.000Z', null);
  });

  afterEach(async () => dataSource.destroy());

  describe('list', () => {
    it("returns only the principal's notifications, newest first, in the Notification contract's shape", async () => {
      const result = await sut.list(principal('u-1'), 50);

      expect(result.map((n) => n.id)).toEqual(['n-3', 'n-4', 'n-1']);
      expect(result.map((n) => Notification.parse(n))).toEqual(result);
      expect(result[0]).toEqual({
        id: 'n-3',
        userId: 'u-1',
        kind: 'order-confirmed',
        message: 'message n-3',
        orderId: 'o-1',
        createdAt: '2026-01-01T10:00:02.000Z',
      });
    });

    it('leaves orderId out when the notification has none', async () => {
      const result = await sut.list(principal('u-1'), 50);

      expect(result.find((n) => n.id === 'n-4')).not.toHaveProperty('orderId');
    });

    it('returns at most limit notifications, the newest ones', async () => {
      const result = await sut.list(principal('u-1'), 2);

      expect(result.map((n) => n.id)).toEqual(['n-3', 'n-4']);
    });

    it('lists notifications of the same instant by id, the later (UUID v7) id first', async () => {
      await store('0190a000-0000-7001-8000-000000000000', 'u-5', '2026-01-01T10:00:00.000Z');
      await store('0190a000-0000-7002-8000-000000000000', 'u-5', '2026-01-01T10:00:00.000Z');

      expect((await sut.list(principal('u-5'), 50)).map((n) => n.id)).toEqual([
        '0190a000-0000-7002-8000-000000000000',
        '0190a000-0000-7001-8000-000000000000',
      ]);
    });

    it('returns an empty list to a user without notifications', async () => {
      expect(await sut.list(principal('u-3'), 50)).toEqual([]);
    });
  });
});
