import { Controller, Injectable } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { defer, throwError } from 'rxjs';
import { z } from 'zod';
import type { Envelope } from '../envelope/envelope';
import { InvalidMessageError } from '../invalid-message.error';
import { MessagingContext } from './messaging.context';
import { OnEvent } from './messaging-handler.decorators';

// Handler classes the MessagingTransport spec boots in a real Nest microservice.

export const OrderPlaced = {
  type: 'test.order-placed',
  version: 1,
  schema: z.object({ orderId: z.string().min(1), quantity: z.number().int().min(1) }),
} as const;
export type OrderPlaced = z.infer<typeof OrderPlaced.schema>;

/** What the handlers saw, and a gate a test can hold them on. */
@Injectable()
export class Probe {
  readonly seen: { handler: string; payload: unknown; envelope: Envelope; pattern: string }[] = [];
  gate: Promise<void> = Promise.resolve();
  failures = 0;

  async record(handler: string, payload: unknown, ctx: MessagingContext): Promise<void> {
    this.seen.push({ handler, payload, envelope: ctx.getEnvelope(), pattern: ctx.getPattern() });
    await this.gate;
  }
}

@Controller()
export class StockHandlers {
  constructor(private readonly probe: Probe) {}

  @OnEvent(OrderPlaced)
  async onOrderPlaced(@Payload() payload: OrderPlaced, @Ctx() ctx: MessagingContext): Promise<void> {
    await this.probe.record('stock', payload, ctx);
  }
}

@Controller()
export class AuditHandlers {
  constructor(private readonly probe: Probe) {}

  @OnEvent(OrderPlaced, { group: 'audit' })
  async onOrderPlaced(@Payload() payload: OrderPlaced, @Ctx() ctx: MessagingContext): Promise<void> {
    await this.probe.record('audit', payload, ctx);
  }
}

@Controller()
export class FailingHandlers {
  constructor(private readonly probe: Probe) {}

  @OnEvent(OrderPlaced, { maxDeliveries: 3, retryDelaysMs: [1] })
  async onOrderPlaced(@Payload() payload: OrderPlaced): Promise<void> {
    this.probe.failures += 1;
    if (payload.orderId === 'poison') throw new InvalidMessageError('order poison can never be handled');
    throw new Error(`boom ${this.probe.failures}`);
  }
}

@Controller()
export class ObservableHandlers {
  constructor(private readonly probe: Probe) {}

  @OnEvent(OrderPlaced, { maxDeliveries: 1 })
  onOrderPlaced(@Payload() payload: OrderPlaced, @Ctx() ctx: MessagingContext) {
    if (payload.orderId === 'stream-error') return throwError(() => new Error('stream boom'));
    return defer(() => this.probe.record('observable', payload, ctx));
  }
}

@Controller()
export class PlainHandlers {
  constructor(private readonly probe: Probe) {}

  @EventPattern<string>(OrderPlaced.type, { maxDeliveries: 2, retryDelaysMs: [1] })
  async handle(@Payload() payload: OrderPlaced, @Ctx() ctx: MessagingContext): Promise<void> {
    if (payload.orderId === 'fail') throw new Error('plain boom');
    await this.probe.record('plain', payload, ctx);
  }
}

@Controller()
export class UndeclaredHandlers {
  @EventPattern<string>('test.never-declared')
  async handle(): Promise<void> {
    // Never called: the transport refuses to start.
  }
}
