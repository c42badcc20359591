import { childOf, continueFromHeaders, formatTraceparent, newTraceContext, parseTraceparent } from './trace-context';

describe(parseTraceparent.name, () => {
  const valid = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

  it('parses a valid header', () => {
    expect(parseTraceparent(valid)).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', sampled: true });
  });

  it.each([
    ['garbage', 'hello'],
    ['version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['zero trace id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`],
    ['zero span id', `00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01`],
    ['short trace id', '00-4bf92f35-00f067aa0ba902b7-01'],
  ])('rejects %s', (_name, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });

  it('round-trips through formatTraceparent', () => {
    const sut = newTraceContext();
    expect(parseTraceparent(formatTraceparent(sut))).toEqual(sut);
  });

  it('continues an incoming trace as a child span', () => {
    const sut = continueFromHeaders({ traceparent: valid });
    expect(sut.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(sut.spanId).not.toBe('00f067aa0ba902b7');
    expect(childOf(sut).traceId).toBe(sut.traceId);
  });

  it('starts a new trace when the header is missing', () => {
    const sut = continueFromHeaders({});
    expect(sut.traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});
