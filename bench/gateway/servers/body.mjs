// The one response every target ends with: a ~200-byte JSON document, as a catalogue read returns it.

/** The document the upstream (and moleculer's service node) answers every request with. */
export const ITEM = Object.freeze({
  id: 'bench-0001',
  name: 'Benchmark item',
  description: 'A product as the catalogue lists it, of a typical size',
  price: { amount: 1999, currency: 'EUR' },
  stock: 42,
  tags: ['bench', 'gateway'],
  updatedAt: '2026-01-01T00:00:00.000Z',
});

/** {@link ITEM} serialised once, as the upstream sends it. */
export const BODY = Buffer.from(JSON.stringify(ITEM));
