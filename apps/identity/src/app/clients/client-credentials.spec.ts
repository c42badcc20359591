import { UnauthenticatedError, ValidationError } from '@nestkit/errors';
import { clientCredentials } from './client-credentials';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe(clientCredentials.name, () => {
  it('reads client_secret_basic, form-decoding id and secret', () => {
    expect(clientCredentials(basic('orders', 's3cret%3A+x'), {})).toEqual({ clientId: 'orders', clientSecret: 's3cret: x' });
  });

  it('reads client_secret_post', () => {
    expect(clientCredentials(undefined, { client_id: 'orders', client_secret: 's' })).toEqual({ clientId: 'orders', clientSecret: 's' });
  });

  it('refuses both methods at once', () => {
    expect(() => clientCredentials(basic('orders', 's'), { client_id: 'orders' })).toThrow(ValidationError);
  });

  it.each([
    ['no credentials', undefined, {}],
    ['a secret without id', undefined, { client_secret: 's' }],
    ['a Basic value without colon', `Basic ${Buffer.from('orders').toString('base64')}`, {}],
    ['a bearer header', 'Bearer abc', {}],
  ])('answers %s with 401 identity.invalid-client', (_case, header, body) => {
    expect(() => clientCredentials(header, body)).toThrow(new UnauthenticatedError('client authentication failed', 'identity.invalid-client'));
  });
});
