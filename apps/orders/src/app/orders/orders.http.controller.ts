import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CurrentPrincipal, type Principal, UserToken } from '@nestkit/auth';
import { Order, PlaceOrderRequest } from '@nestkit/contracts/orders';
import { ApiZodResponse, ZodBody } from '@nestkit/openapi';
import { z } from 'zod';
import { OrdersService } from './orders.service';

/** Place an order (202: accepted, confirmation follows asynchronously) and list or read your own orders. */
@Controller('orders')
export class OrdersHttpController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @HttpCode(202)
  @ApiZodResponse(202, Order.pick({ id: true, status: true }), 'Accepted: the order is PENDING until catalog answers.')
  async place(
    @CurrentPrincipal() principal: Principal,
    @UserToken() userToken: string,
    @ZodBody(PlaceOrderRequest) body: PlaceOrderRequest,
  ): Promise<Pick<Order, 'id' | 'status'>> {
    const order = await this.orders.place(principal, body, userToken);
    return { id: order.id, status: order.status };
  }

  @Get()
  @ApiZodResponse(200, z.array(Order), 'Your orders.')
  list(@CurrentPrincipal() principal: Principal): Promise<Order[]> {
    return this.orders.listMine(principal);
  }

  @Get(':id')
  @ApiZodResponse(200, Order, 'The order (404 when it is not yours).')
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<Order> {
    return this.orders.get(principal, id);
  }
}
