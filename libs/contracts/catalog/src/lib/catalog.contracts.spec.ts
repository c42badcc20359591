import { CatalogCacheTags, Product, productChangeTags, StockRejected, StockReleased, StockReserved } from '../index';

const paths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((issue) => issue.path.join('.')) ?? [];

describe('@nestkit/contracts/catalog', () => {
  describe('Product', () => {
    const product = { id: 'p1', sku: 'SKU-1', name: 'Kettle', priceCents: 2599, stock: 3 };

    it('accepts a product', () => {
      expect(Product.parse(product)).toEqual(product);
    });

    it.each([
      [{ priceCents: -1 }, ['priceCents']],
      [{ priceCents: 1.5 }, ['priceCents']],
      [{ stock: -2 }, ['stock']],
      [{ sku: '' }, ['sku']],
    ])('rejects %j at %j', (patch, expected) => {
      expect(paths(Product.safeParse({ ...product, ...patch }))).toEqual(expected);
    });
  });

  describe('StockReserved', () => {
    it('names the message and validates its items', () => {
      expect(StockReserved).toMatchObject({ type: 'catalog.stock-reserved', version: 1 });
      expect(StockReserved.schema.safeParse({ orderId: 'o1', items: [{ productId: 'p1', quantity: 2 }] }).success).toBe(true);
      expect(paths(StockReserved.schema.safeParse({ orderId: 'o1', items: [{ productId: 'p1', quantity: 0 }] }))).toEqual([
        'items.0.quantity',
      ]);
    });
  });

  describe('StockRejected', () => {
    it('makes items optional but requires a reason', () => {
      expect(StockRejected).toMatchObject({ type: 'catalog.stock-rejected', version: 1 });
      expect(StockRejected.schema.safeParse({ orderId: 'o1', reason: 'out of stock' }).success).toBe(true);
      expect(paths(StockRejected.schema.safeParse({ orderId: 'o1', reason: '' }))).toEqual(['reason']);
    });
  });

  describe('StockReleased', () => {
    it('names the message and requires the released lines', () => {
      expect(StockReleased).toMatchObject({ type: 'catalog.stock-released', version: 1 });
      expect(StockReleased.schema.safeParse({ orderId: 'o1', items: [{ productId: 'p1', quantity: 2 }] }).success).toBe(true);
      expect(paths(StockReleased.schema.safeParse({ orderId: 'o1', items: [] }))).toEqual(['items']);
    });
  });

  describe('CatalogCacheTags', () => {
    it('tags a product by its id, encoded so that a space or comma cannot split the tag', () => {
      expect(CatalogCacheTags.product('p-kettle')).toBe('product:p-kettle');
      expect(CatalogCacheTags.product('a b,c')).toBe('product:a%20b%2Cc');
    });

    it('purges the full list and each changed product once', () => {
      expect(productChangeTags(['p1', 'p2', 'p1'])).toEqual(['products', 'product:p1', 'product:p2']);
    });
  });
});
