import { instanceUrl } from './service-instance';

describe(instanceUrl.name, () => {
  it('joins host and port', () => {
    expect(instanceUrl({ host: '127.0.0.1', port: 4002 })).toBe('http://127.0.0.1:4002');
  });

  it('brackets IPv6 hosts', () => {
    expect(instanceUrl({ host: '::1', port: 4002 })).toBe('http://[::1]:4002');
  });
});
