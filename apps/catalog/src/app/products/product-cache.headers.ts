import { CatalogCacheTags } from '@nestkit/contracts/catalog';

/** What every reply that may be cached needs: a header setter (Fastify's reply). */
export interface HeaderSink {
  header(name: string, value: string): unknown;
}

/**
 * Product views are public. Shared caches (the gateway's, which purges them on every stock change) keep
 * them 30 s; browsers, which no purge reaches, 5 s, so a client never shows stock older than that.
 */
export const PRODUCT_CACHE_CONTROL = 'public, max-age=5, s-maxage=30';

/** Marks a successful product read cacheable, filed under `tags` (see {@link CatalogCacheTags}). */
export function cacheableProducts(reply: HeaderSink, tags: readonly string[]): void {
  reply.header('cache-control', PRODUCT_CACHE_CONTROL);
  if (tags.length > 0) reply.header('cache-tag', [...new Set(tags)].join(' '));
}

/**
 * The tags of a product list: the full list when unfiltered, else every id asked for (shown or not yet
 * existing), so that a change to any of them purges it. At most 100 ids of 2,000 characters in all, so the
 * header stays small.
 */
export function listTags(ids: readonly string[] | undefined): string[] {
  return ids && ids.length > 0 ? ids.map((id) => CatalogCacheTags.product(id)) : [CatalogCacheTags.allProducts];
}
