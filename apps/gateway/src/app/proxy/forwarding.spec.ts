import type { IncomingMessage } from 'node:http';
import { ClientAddress, clientHeaders, upstreamHeaders } from './forwarding';

const req = (peer: string, headers: Record<string, string>): IncomingMessage => ({ socket: { remoteAddress: peer }, connection: { remoteAddress: peer }, headers }) as unknown as IncomingMessage;

describe(ClientAddress.name, () => {
  it('believes no header when no proxy is trusted: the peer is the client', () => {
    const sut = new ClientAddress([]);
    const spoofed = req('203.0.113.9', { 'x-forwarded-for': '6.6.6.6', 'x-forwarded-proto': 'https', host: 'api.example.com' });
    expect(sut.of(spoofed)).toBe('203.0.113.9');
    expect(sut.headers(spoofed, '203.0.113.9')).toEqual({
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'api.example.com',
      forwarded: 'for=203.0.113.9;proto=http;host="api.example.com"',
    });
  });

  it('walks the chain back through trusted proxies only, to the first untrusted address', () => {
    const sut = new ClientAddress(['10.0.0.0/8']);
    const viaLb = req('10.0.0.2', { 'x-forwarded-for': '6.6.6.6, 198.51.100.7, 10.0.0.9', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'shop.example.com' });
    expect(sut.of(viaLb)).toBe('198.51.100.7');
    const headers = sut.headers(viaLb, '198.51.100.7');
    // The spoofable part before the first untrusted hop is dropped.
    expect(headers['x-forwarded-for']).toBe('198.51.100.7, 10.0.0.9, 10.0.0.2');
    expect(headers['x-forwarded-proto']).toBe('https');
    expect(headers['forwarded']).toBe('for=198.51.100.7;proto=https;host="shop.example.com"');
  });

  it('quotes IPv6 in Forwarded', () => {
    expect(new ClientAddress([]).headers(req('::1', {}), '::1')['forwarded']).toBe('for="[::1]";proto=http');
  });
});

describe(upstreamHeaders.name, () => {
  it('drops hop-by-hop, Connection-named, credential, deadline and forwarding headers, and adds the extra ones', () => {
    const headers = upstreamHeaders(
      { connection: 'keep-alive, x-hop', 'x-hop': '1', 'keep-alive': 'timeout=5', te: 'trailers', 'x-service-authorization': 'Bearer forged', 'x-request-deadline': '999999', cookie: 'a=b', 'x-forwarded-for': '6.6.6.6', accept: 'application/json', 'x-drop': 'me' },
      new Set(['x-drop']),
      { 'x-forwarded-for': '127.0.0.1' },
    );
    expect(headers).toEqual({ accept: 'application/json', 'x-forwarded-for': '127.0.0.1' });
  });
});

describe(clientHeaders.name, () => {
  it('keeps end-to-end headers and set-cookie lists, drops hop-by-hop ones', () => {
    expect(clientHeaders({ 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'], 'transfer-encoding': 'chunked', 'keep-alive': 'x' })).toEqual({ 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] });
  });
});
