import type { StockItem } from '@nestkit/contracts/catalog';

/** Quantity per product, in line order: lines naming one product twice count together against its stock. */
export function stockDemand(items: readonly StockItem[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const line of items) totals.set(line.productId, (totals.get(line.productId) ?? 0) + line.quantity);
  return totals;
}
