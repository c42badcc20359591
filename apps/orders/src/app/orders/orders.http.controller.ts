import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CurrentPrincipal, type Principal, UserToken } from '@nestkit/auth';
import { type Order, PlaceOrderRequest } from '@nestkit/contracts/orders';
import { ZodValidationPipe } from '@nestkit/errors';
import { OrdersService } from './orders.service';

/** Place an order (202: accepted, confirmation follows asynchronously) and list or read your own orders. */
@Controller('orders')
export class OrdersHttpController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @HttpCode(202)
  async place(
    @CurrentPrincipal() principal: Principal,
    @UserToken() userToken: string,
    @Body(new ZodValidationPipe(PlaceOrderRequest)) body: PlaceOrderRequest,
  ): Promise<Pick<Order, 'id' | 'status'>> {
    const order = await this.orders.place(principal, body, userToken);
    return { id: order.id, status: order.status };
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<Order[]> {
    return this.orders.listMine(principal);
  }

  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<Order> {
    return this.orders.get(principal, id);
  }
}
