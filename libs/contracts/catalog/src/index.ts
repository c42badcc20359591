export { CatalogCacheTags, productChangeTags } from './lib/catalog.cache-tags';
export {
  CatalogEvents,
  StockItem,
  StockRejected,
  StockRejectedPayload,
  StockReleased,
  StockReleasedPayload,
  StockReserved,
  StockReservedPayload,
} from './lib/catalog.events';
export { Product } from './lib/catalog.http';
