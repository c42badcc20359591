import { LoginRequest, RegisterRequest, TokenResponse, UserRegistered } from '../index';

const paths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((issue) => issue.path.join('.')) ?? [];

describe('@nestkit/contracts/identity', () => {
  describe('RegisterRequest', () => {
    it('trims and lower-cases the e-mail', () => {
      const sut = RegisterRequest.parse({ email: '  Ada@Example.COM ', password: 'correct horse' });
      expect(sut).toEqual({ email: 'ada@example.com', password: 'correct horse' });
    });

    it.each([
      [{ email: 'not-an-email', password: 'long enough' }, ['email']],
      [{ email: `${'a'.repeat(250)}@x.io`, password: 'long enough' }, ['email']],
      [{ email: 'ada@example.com', password: 'short' }, ['password']],
      [{ email: 'ada@example.com', password: 'p'.repeat(129) }, ['password']],
      [{}, ['email', 'password']],
    ])('rejects %j at %j', (input, expected) => {
      expect(paths(RegisterRequest.safeParse(input))).toEqual(expected);
    });
  });

  describe('LoginRequest', () => {
    it('accepts any non-empty password so the password policy is not revealed', () => {
      expect(LoginRequest.parse({ email: 'ADA@example.com', password: 'x' })).toEqual({ email: 'ada@example.com', password: 'x' });
    });

    it('rejects an empty password', () => {
      expect(paths(LoginRequest.safeParse({ email: 'ada@example.com', password: '' }))).toEqual(['password']);
    });
  });

  describe('TokenResponse', () => {
    it('requires a positive integer lifetime', () => {
      expect(TokenResponse.safeParse({ accessToken: 'a', refreshToken: 'r', expiresIn: 900 }).success).toBe(true);
      expect(paths(TokenResponse.safeParse({ accessToken: 'a', refreshToken: 'r', expiresIn: 1.5 }))).toEqual(['expiresIn']);
    });
  });

  describe('UserRegistered', () => {
    it('names the message and version', () => {
      expect(UserRegistered).toMatchObject({ type: 'identity.user-registered', version: 1 });
    });

    it('validates the payload', () => {
      expect(UserRegistered.schema.safeParse({ userId: 'u1', email: 'ada@example.com' }).success).toBe(true);
      expect(paths(UserRegistered.schema.safeParse({ userId: '', email: 'ada@example.com' }))).toEqual(['userId']);
    });
  });
});
