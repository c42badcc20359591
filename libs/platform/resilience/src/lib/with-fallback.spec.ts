import { RecordingResilienceListener } from '../testing';
import { NotFoundError, UnavailableError } from '@nestkit/errors';
import { noop } from 'cockatiel';
import { withFallback } from './with-fallback';

describe(withFallback.name, () => {
  let listener: RecordingResilienceListener;

  beforeEach(() => {
    listener = new RecordingResilienceListener();
  });

  it('answers with the fallback, given the error, when the call fails with a fault', async () => {
    const failure = new UnavailableError('catalog is down');
    const seen: unknown[] = [];
    const sut = withFallback(noop, (error) => (seen.push(error), 'cached product'), { upstream: 'catalog', listener });
    await expect(sut.execute(() => Promise.reject(failure))).resolves.toBe('cached product');
    expect(seen).toEqual([failure]);
    expect(listener.events).toEqual([{ upstream: 'catalog', kind: 'fallback' }]);
  });

  it('returns the call’s own value when it succeeds', async () => {
    const sut = withFallback(noop, () => 'cached product');
    await expect(sut.execute(() => 'fresh product')).resolves.toBe('fresh product');
  });

  it('passes business errors through: a 404 is an answer, not an outage', async () => {
    const missing = new NotFoundError('no such product');
    const sut = withFallback(noop, () => 'cached product', { listener });
    await expect(sut.execute(() => Promise.reject(missing))).rejects.toBe(missing);
    expect(listener.events).toEqual([]);
  });

  it('does not answer a caller who aborted', async () => {
    const caller = new AbortController();
    caller.abort();
    const failure = new Error('aborted');
    const sut = withFallback(noop, () => 'cached product');
    await expect(sut.execute(() => Promise.reject(failure), caller.signal)).rejects.toBe(failure);
  });
});
