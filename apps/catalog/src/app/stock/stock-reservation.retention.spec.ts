import { Logger } from '@nestjs/common';
import { inMemoryDataSource } from '@nestkit/database/testing';
import { MessagingHousekeeping } from '@nestkit/messaging';
import type { DataSource } from 'typeorm';
import { CATALOG_SCHEMA } from '../catalog.schema';
import { STOCK_RESERVATION_RETENTION, StockReservationEntity } from './stock-reservation.entity';

const DAY = 24 * 3_600_000;

/** Catalog's reservations leave with the inbox ids of the messages that made them, retention after their last change. */
describe('stock reservation retention', () => {
  let dataSource: DataSource;

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(async () => {
    dataSource = await inMemoryDataSource(CATALOG_SCHEMA);
  });
  afterEach(async () => dataSource.destroy());

  it('deletes reservations, releases and tombstones last changed before the retention, and keeps the rest', async () => {
    const now = new Date('2030-03-01T00:00:00.000Z');
    const row = (orderId: string, status: StockReservationEntity['status'], updatedAgoMs: number) => ({
      orderId,
      items: [],
      status,
      createdAt: new Date(now.getTime() - 30 * DAY),
      updatedAt: new Date(now.getTime() - updatedAgoMs),
    });
    // insert() bypasses @UpdateDateColumn, so updatedAt is what is given here.
    await dataSource.getRepository(StockReservationEntity).insert([
      row('o-released', 'RELEASED', 8 * DAY),
      row('o-tombstone', 'CANCELLED', 7 * DAY + 1),
      row('o-confirmed-long-ago', 'RESERVED', 9 * DAY),
      row('o-recent', 'RESERVED', 7 * DAY - 1),
    ]);
    const sut = new MessagingHousekeeping(dataSource, { service: 'catalog', retentionMs: 7 * DAY }, [STOCK_RESERVATION_RETENTION]);

    expect(await sut.prune(now)).toEqual({ outbox: 0, inbox: 0, stock_reservations: 3 });
    expect((await dataSource.getRepository(StockReservationEntity).find()).map((r) => r.orderId)).toEqual(['o-recent']);
  });
});
