import { cacheableProducts, listTags, PRODUCT_CACHE_CONTROL } from './product-cache.headers';

describe(cacheableProducts.name, () => {
  const reply = () => {
    const headers: Record<string, string> = {};
    return { headers, header: (name: string, value: string) => (headers[name] = value) };
  };

  it('makes the reply public and files it under each tag once', () => {
    const sut = reply();
    cacheableProducts(sut, ['product:a', 'product:b', 'product:a']);
    expect(sut.headers).toEqual({ 'cache-control': PRODUCT_CACHE_CONTROL, 'cache-tag': 'product:a product:b' });
    expect(PRODUCT_CACHE_CONTROL).toBe('public, max-age=5, s-maxage=30');
  });

  it('sends no empty cache-tag', () => {
    const sut = reply();
    cacheableProducts(sut, []);
    expect(sut.headers).toEqual({ 'cache-control': PRODUCT_CACHE_CONTROL });
  });
});

describe(listTags.name, () => {
  it('tags the unfiltered list as the full list', () => {
    expect(listTags(undefined)).toEqual(['products']);
    expect(listTags([])).toEqual(['products']);
  });

  it('tags a filtered list with every id asked for, encoded', () => {
    expect(listTags(['p-mouse', 'p new'])).toEqual(['product:p-mouse', 'product:p%20new']);
  });
});
