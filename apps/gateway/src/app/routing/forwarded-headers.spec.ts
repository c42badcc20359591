import { clientResponseHeaders, upstreamRequestHeaders } from './forwarded-headers';

describe(upstreamRequestHeaders.name, () => {
  it('forwards the allow-listed headers and drops the rest', () => {
    const sut = upstreamRequestHeaders(
      { authorization: 'Bearer x', 'content-type': 'application/json', cookie: 'session=1', connection: 'close', 'x-internal': 'y' },
      { ip: '10.0.0.1', protocol: 'http', host: 'api.example' },
    );
    expect(sut).toEqual({
      authorization: 'Bearer x',
      'content-type': 'application/json',
      'x-forwarded-for': '10.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'api.example',
    });
  });

  it("drops a client's x-service-authorization: only the gateway speaks for itself to services", () => {
    const sut = upstreamRequestHeaders({ authorization: 'Bearer user', 'x-service-authorization': 'Bearer forged' }, { ip: '10.0.0.1', protocol: 'http' });
    expect(sut).not.toHaveProperty('x-service-authorization');
    expect(sut['authorization']).toBe('Bearer user');
  });

  it('appends to an existing x-forwarded-for chain', () => {
    const sut = upstreamRequestHeaders({ 'x-forwarded-for': '1.2.3.4' }, { ip: '10.0.0.1', protocol: 'https' });
    expect(sut['x-forwarded-for']).toBe('1.2.3.4, 10.0.0.1');
  });
});

describe(clientResponseHeaders.name, () => {
  it('drops hop-by-hop headers and content-length', () => {
    const sut = clientResponseHeaders({ 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'Content-Length': '3', location: '/orders/1' });
    expect(sut).toEqual({ 'content-type': 'application/json', location: '/orders/1' });
  });
});
