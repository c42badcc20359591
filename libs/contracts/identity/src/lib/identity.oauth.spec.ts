import { OAuthTokenRequest, RefreshRequest, TOKEN_EXCHANGE_GRANT, UserRoleParams } from '../index';

const paths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((issue) => issue.path.join('.')) ?? [];

describe('OAuthTokenRequest', () => {
  it('accepts a client-credentials request with or without body credentials and audience', () => {
    expect(OAuthTokenRequest.parse({ grant_type: 'client_credentials' })).toEqual({ grant_type: 'client_credentials' });
    expect(OAuthTokenRequest.parse({ grant_type: 'client_credentials', client_id: 'orders', client_secret: 's', audience: 'catalog' })).toEqual({
      grant_type: 'client_credentials',
      client_id: 'orders',
      client_secret: 's',
      audience: 'catalog',
    });
  });

  it('requires the subject token and its type for a token exchange', () => {
    expect(paths(OAuthTokenRequest.safeParse({ grant_type: TOKEN_EXCHANGE_GRANT }))).toEqual(['subject_token', 'subject_token_type']);
  });

  it('refuses other grant types by naming grant_type', () => {
    expect(paths(OAuthTokenRequest.safeParse({ grant_type: 'password', username: 'a', password: 'b' }))).toEqual(['grant_type']);
  });
});

describe('RefreshRequest', () => {
  it('requires a non-empty refresh token', () => {
    expect(paths(RefreshRequest.safeParse({ refreshToken: '' }))).toEqual(['refreshToken']);
    expect(RefreshRequest.parse({ refreshToken: 'abc' })).toEqual({ refreshToken: 'abc' });
  });
});

describe('UserRoleParams', () => {
  it('names the role when it cannot be granted', () => {
    expect(paths(UserRoleParams.safeParse({ userId: 'u1', role: 'service' }))).toEqual(['role']);
  });
});
