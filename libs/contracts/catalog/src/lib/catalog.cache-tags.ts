/**
 * The `cache-tag` values catalog puts on its product responses, so that a shared cache in front of it (the
 * gateway's) can drop exactly what a change makes stale. Producer and purger both build tags here, never by hand.
 */
export const CatalogCacheTags = {
  /** On the unfiltered product list: it shows every product, so any change (or a new product) makes it stale. */
  allProducts: 'products',
  /** On every response that shows product `id`; the id is URI-encoded, since spaces and commas separate tags. */
  product: (id: string): string => `product:${encodeURIComponent(id)}`,
} as const;

/** The tags to purge when the stock or price of `productIds` changed: each product's own, and the full list. */
export function productChangeTags(productIds: Iterable<string>): string[] {
  return [CatalogCacheTags.allProducts, ...new Set([...productIds].map((id) => CatalogCacheTags.product(id)))];
}
