import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Product } from '@nestkit/contracts/catalog';
import { NotFoundError } from '@nestkit/errors';
import { In, type Repository } from 'typeorm';
import { ProductEntity } from './product.entity';

function toView(entity: ProductEntity): Product {
  return { id: entity.id, sku: entity.sku, name: entity.name, priceCents: entity.priceCents, stock: entity.stock };
}

/** Reads the catalogue. Stock changes only through stock reservation (see StockReservationHandler). */
@Injectable()
export class ProductsService {
  constructor(@InjectRepository(ProductEntity) private readonly products: Repository<ProductEntity>) {}

  async list(ids?: string[]): Promise<Product[]> {
    const where = ids && ids.length > 0 ? { id: In(ids) } : {};
    const rows = await this.products.find({ where, order: { id: 'ASC' } });
    return rows.map(toView);
  }

  async get(id: string): Promise<Product> {
    const row = await this.products.findOneBy({ id });
    if (!row) throw new NotFoundError(`product ${id} does not exist`, 'catalog.product-not-found');
    return toView(row);
  }
}
