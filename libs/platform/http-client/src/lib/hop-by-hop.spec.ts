import { endToEndHeaders } from './hop-by-hop';

describe(endToEndHeaders.name, () => {
  it('drops hop-by-hop headers and those named by connection, keeps the rest lower-cased', () => {
    const sut = endToEndHeaders({
      Connection: 'keep-alive, X-Hop',
      'Keep-Alive': 'timeout=5',
      'Transfer-Encoding': 'chunked',
      Host: 'gateway',
      'Content-Length': '12',
      'x-hop': 'gone',
      'Content-Type': 'application/json',
      accept: ['a', 'b'],
      'x-count': 3,
      'x-none': undefined,
    });
    expect(sut).toEqual({ 'content-type': 'application/json', accept: 'a, b', 'x-count': '3' });
  });
});
