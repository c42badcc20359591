import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '@nestkit/messaging';
import { CreateProducts1732500000100 } from '../migrations/1732500000100-create-products';
import { SeedProducts1732500000101 } from '../migrations/1732500000101-seed-products';
import { CreateStockReservations1732500000102 } from '../migrations/1732500000102-create-stock-reservations';
import { IndexStockReservationsUpdatedAt1732500000103 } from '../migrations/1732500000103-index-stock-reservations-updated-at';
import { ProductEntity } from './products/product.entity';
import { StockReservationEntity } from './stock/stock-reservation.entity';

/** The catalog database: its entities and the migrations that build them, in order. */
export const CATALOG_SCHEMA = {
  entities: [ProductEntity, StockReservationEntity, ...MESSAGING_ENTITIES],
  migrations: [...MESSAGING_MIGRATIONS, CreateProducts1732500000100, SeedProducts1732500000101, CreateStockReservations1732500000102, IndexStockReservationsUpdatedAt1732500000103],
};
