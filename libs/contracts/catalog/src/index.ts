export { CatalogEvents, StockItem, StockRejected, StockRejectedPayload, StockReserved, StockReservedPayload } from './lib/catalog.events';
export { Product } from './lib/catalog.http';
