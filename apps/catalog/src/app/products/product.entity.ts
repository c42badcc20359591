import { Check, Column, Entity, PrimaryColumn, VersionColumn } from 'typeorm';

/** A product and its available stock. `version` guards concurrent stock updates. */
@Entity({ name: 'products' })
@Check('products_stock_non_negative', 'stock >= 0')
export class ProductEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  sku!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'price_cents', type: 'integer' })
  priceCents!: number;

  @Column({ type: 'integer' })
  stock!: number;

  @VersionColumn()
  version!: number;
}
