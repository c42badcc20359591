import { Controller, Get } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { CurrentPrincipal, type Principal } from '@nestkit/auth';
import { Notification } from '@nestkit/contracts/notifications';
import { ApiZodResponse, ZodQuery } from '@nestkit/openapi';
import type { Repository } from 'typeorm';
import { z } from 'zod';
import { NotificationEntity } from './notification.entity';

const limitQuery = z.coerce.number().int().min(1).max(100).default(50).describe('How many notifications to return, newest first.');

/** The caller's own notifications, newest first. */
@Controller('notifications')
export class NotificationsHttpController {
  constructor(@InjectRepository(NotificationEntity) private readonly notifications: Repository<NotificationEntity>) {}

  @Get()
  @ApiZodResponse(200, z.array(Notification), "The caller's notifications, newest first.")
  async list(@CurrentPrincipal() principal: Principal, @ZodQuery('limit', limitQuery) limit: number): Promise<Notification[]> {
    // Ids are the events' UUID v7 ids, which sort by creation time: they order events of the same millisecond.
    const rows = await this.notifications.find({ where: { userId: principal.subject }, order: { createdAt: 'DESC', id: 'DESC' }, take: limit });
    return rows.map((row) => ({
      id: row.id,
      userId: row.userId,
      kind: row.kind,
      message: row.message,
      ...(row.orderId ? { orderId: row.orderId } : {}),
      createdAt: new Date(row.createdAt).toISOString(),
    }));
  }
}
