import { clientIp } from './client-ip';

describe(clientIp.name, () => {
  it('uses the socket peer when no proxy is trusted, whatever x-forwarded-for claims', () => {
    expect(clientIp('10.0.0.5', '1.2.3.4', 0)).toBe('10.0.0.5');
  });

  it('takes the entry the trusted proxy appended, ignoring what the client prepended', () => {
    expect(clientIp('10.0.0.5', '6.6.6.6, 203.0.113.7', 1)).toBe('203.0.113.7');
    expect(clientIp('10.0.0.5', ['6.6.6.6', '203.0.113.7, 10.0.0.9'], 2)).toBe('203.0.113.7');
  });

  it('falls back to the first entry when the chain is shorter than the trusted hops, and to the peer without one', () => {
    expect(clientIp('10.0.0.5', '203.0.113.7', 3)).toBe('203.0.113.7');
    expect(clientIp('10.0.0.5', undefined, 1)).toBe('10.0.0.5');
    expect(clientIp(undefined, undefined, 0)).toBe('unknown');
  });
});
