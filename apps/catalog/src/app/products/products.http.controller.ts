import { Controller, Get, Param, Res } from '@nestjs/common';
import { Public } from '@nestkit/auth';
import { CatalogCacheTags, Product } from '@nestkit/contracts/catalog';
import { ApiZodResponse, ZodQuery } from '@nestkit/openapi';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { cacheableProducts, listTags } from './product-cache.headers';
import { ProductsService } from './products.service';

const idsQuery = z
  .string()
  .max(2_000)
  .optional()
  .describe('Comma-separated product ids (at most 100); all products when absent.')
  .transform((value) => (value ? value.split(',').map((id) => id.trim()).filter((id) => id.length > 0) : undefined))
  .refine((ids) => !ids || ids.length <= 100, { message: 'at most 100 ids' });

/**
 * The public catalogue: anyone may browse products and their stock. Successful reads are cacheable by shared
 * caches and tagged for purging (`cache-tag`, see product-cache.headers.ts); errors are not.
 */
@Public()
@Controller('products')
export class ProductsHttpController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  @ApiZodResponse(200, z.array(Product), 'The products, with their stock.')
  async list(@ZodQuery('ids', idsQuery) ids: string[] | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<Product[]> {
    const products = await this.products.list(ids);
    cacheableProducts(reply, listTags(ids));
    return products;
  }

  @Get(':id')
  @ApiZodResponse(200, Product, 'The product, with its stock.')
  async get(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Product> {
    const product = await this.products.get(id);
    cacheableProducts(reply, [CatalogCacheTags.product(product.id)]);
    return product;
  }
}
