import { Controller, Get, Param, Query } from '@nestjs/common';
import { Public } from '@nestkit/auth';
import type { Product } from '@nestkit/contracts/catalog';
import { ZodValidationPipe } from '@nestkit/errors';
import { z } from 'zod';
import { ProductsService } from './products.service';

const idsQuery = z
  .string()
  .max(2_000)
  .optional()
  .transform((value) => (value ? value.split(',').map((id) => id.trim()).filter((id) => id.length > 0) : undefined))
  .refine((ids) => !ids || ids.length <= 100, { message: 'at most 100 ids' });

/** The public catalogue: anyone may browse products and their stock. */
@Public()
@Controller('products')
export class ProductsHttpController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  list(@Query('ids', new ZodValidationPipe(idsQuery)) ids: string[] | undefined): Promise<Product[]> {
    return this.products.list(ids);
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<Product> {
    return this.products.get(id);
  }
}
