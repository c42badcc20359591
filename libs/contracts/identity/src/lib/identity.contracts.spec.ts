import { z } from 'zod';
import { Email, LoginRequest, RegisterRequest, TokenResponse, UserRegistered } from '../index';

const paths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((issue) => issue.path.join('.')) ?? [];

describe('@nestkit/contracts/identity', () => {
  describe('Email', () => {
    const label = (length: number) => 'b'.repeat(length);
    const valid = [
      `${'a'.repeat(64)}@example.com`,
      `ada@${label(63)}.${label(63)}.${'c'.repeat(63)}`,
      "o'brien+tag@mail-1.example.co",
      'ada@xn--bcher-kva.de',
      'ADA@XN--BCHER-KVA.DE',
      'ada@a--b.example.com',
    ];
    const invalid: [string, string][] = [
      ['a local part over 64 characters (RFC 5321)', `${'a'.repeat(65)}@example.com`],
      ['a label over 63 characters', `ada@${label(64)}.com`],
      ['a top-level domain over 63 characters', `ada@example.${'c'.repeat(64)}`],
      ['a label ending in a hyphen', 'ada@example-.com'],
      ['a label starting with a hyphen', 'ada@-example.com'],
      ['a reserved label with hyphens in third and fourth place', 'ada@ab--cd.com'],
      ['the same with a hyphen in second place', 'ada@a---b.com'],
      ['an empty label', 'ada@example..com'],
      ['a local part with a trailing dot', 'ada.@example.com'],
    ];

    it.each(valid)('accepts %s', (email) => {
      expect(Email.safeParse(email)).toMatchObject({ success: true, data: email.toLowerCase() });
    });

    it.each(invalid)('rejects %s', (_, email) => {
      expect(Email.safeParse(email).success).toBe(false);
    });

    it('rejects more than 254 characters in all', () => {
      expect(Email.safeParse(`${'a'.repeat(64)}@${`${label(63)}.`.repeat(3)}com`).success).toBe(false);
    });

    it('documents the pattern it checks, read without flags as the document carries it, in either case', () => {
      const documented = new RegExp((z.toJSONSchema(Email, { io: 'output' }) as { pattern: string }).pattern);
      expect(documented.source).not.toBe(z.regexes.email.source);
      expect(valid.filter((email) => !documented.test(email) || !documented.test(email.toLowerCase()))).toEqual([]);
      expect(invalid.filter(([, email]) => documented.test(email))).toEqual([]);
    });
  });

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
