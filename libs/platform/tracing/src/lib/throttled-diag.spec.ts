import { throttledDiag } from './throttled-diag';

describe(throttledDiag.name, () => {
  it('writes each distinct message once per window, then says how many it held back', () => {
    const lines: string[] = [];
    let now = 0;
    const sut = throttledDiag('orders', (line) => lines.push(line), 60_000, () => now);
    for (let i = 0; i < 30; i++) {
      sut.error('export failed: connect ECONNREFUSED 127.0.0.1:4318');
      now += 1_000;
    }
    sut.warn('another problem');
    now += 31_000;
    sut.error('export failed: connect ECONNREFUSED 127.0.0.1:4318');
    expect(lines).toEqual([
      'orders: opentelemetry: export failed: connect ECONNREFUSED 127.0.0.1:4318\n',
      'orders: opentelemetry: another problem\n',
      'orders: opentelemetry: export failed: connect ECONNREFUSED 127.0.0.1:4318 (and 29 more like it in the last 61 s)\n',
    ]);
  });

  it('drops verbose, debug and info', () => {
    const lines: string[] = [];
    const sut = throttledDiag('orders', (line) => lines.push(line));
    sut.info('starting');
    sut.debug('detail');
    sut.verbose('more');
    expect(lines).toEqual([]);
  });
});
