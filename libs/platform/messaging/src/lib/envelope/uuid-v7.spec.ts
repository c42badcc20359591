import { uuidV7 } from './uuid-v7';

describe(uuidV7.name, () => {
  it('encodes the millisecond timestamp, version 7 and the RFC 9562 variant', () => {
    const sut = uuidV7(Date.UTC(2025, 0, 1));
    expect(sut).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(sut.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.UTC(2025, 0, 1));
  });

  it('sorts in creation order within one millisecond and across a clock going back', () => {
    const now = Date.UTC(2030, 0, 1);
    const ids = [uuidV7(now), uuidV7(now), uuidV7(now), uuidV7(now - 5), uuidV7(now + 1)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
