import { UnavailableError } from '@nestkit/errors';
import { BreakerRegistry } from './breaker.registry';

describe(BreakerRegistry.name, () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps one breaker per instance and reports which are open', async () => {
    const sut = new BreakerRegistry({ mode: 'consecutive', threshold: 2, halfOpenAfterMs: 500 });
    expect(sut.get('catalog-1')).toBe(sut.get('catalog-1'));
    for (let i = 0; i < 2; i++) await sut.get('catalog-1').execute(() => Promise.reject(new UnavailableError('down'))).catch(() => undefined);

    expect(sut.isOpen('catalog-1')).toBe(true);
    expect(sut.isOpen('catalog-2')).toBe(false);
    expect(sut.state('catalog-1')).toBe('open');
    expect(sut.state('never-seen')).toBe('closed');
    vi.advanceTimersByTime(500);
    expect(sut.isOpen('catalog-1')).toBe(false);
  });

  it('forgets a deleted instance', async () => {
    const sut = new BreakerRegistry({ mode: 'consecutive', threshold: 1, halfOpenAfterMs: 500 });
    await sut.get('catalog-1').execute(() => Promise.reject(new UnavailableError('down'))).catch(() => undefined);
    sut.delete('catalog-1');
    expect(sut.isOpen('catalog-1')).toBe(false);
  });
});
