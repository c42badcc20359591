import { z } from 'zod';
import { GrantableRole } from './identity.roles';

/** zod's dot-atom local part (RFC 5321 §4.1.2), at most 64 characters long (RFC 5321 §4.5.3.1.1). */
const LOCAL_PART = String.raw`(?![^@]{65})(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]`;
/**
 * A host name label (RFC 1123 §2.1): 1 to 63 letters, digits and inner hyphens. Hyphens in the third and
 * fourth place are reserved (RFC 5890 §2.3.1) except for the `xn--` prefix of an IDN A-label.
 */
const LABEL = String.raw`(?!(?![Xx][Nn])[A-Za-z0-9][A-Za-z0-9\-]--)[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?`;
/** A top-level domain: letters only, as zod's own e-mail pattern has it, and one label long at most. */
const TOP_LEVEL_DOMAIN = '[A-Za-z]{2,63}';

/**
 * What `Email` accepts: zod's `z.email()` pattern with the length limits of RFC 5321 and the host name
 * rules that JSON Schema's `format: email` checks, which zod's pattern leaves out. It has no flags, because
 * the OpenAPI document carries only its source (as `pattern`), and spells both cases out, because the
 * document applies it to the request before it is lower-cased. An A-label's Punycode is not decoded.
 */
const EMAIL_PATTERN = new RegExp(`^${LOCAL_PART}@(?:${LABEL}\\.)+${TOP_LEVEL_DOMAIN}$`);

/**
 * An e-mail address, trimmed and lower-cased so that one mailbox maps to one account: at most 254
 * characters (RFC 5321 §4.5.3.1.3), a local part of at most 64, host name labels of at most 63.
 */
export const Email = z.string().trim().toLowerCase().max(254).pipe(z.email({ pattern: EMAIL_PATTERN }));

/** Body of `POST /register`: a new account's e-mail and password. */
export const RegisterRequest = z.object({
  email: Email,
  password: z.string().min(8).max(128),
});
export type RegisterRequest = z.infer<typeof RegisterRequest>;

/** Body of `POST /login`. The password length is not re-checked here, so the policy is not leaked. */
export const LoginRequest = z.object({
  email: Email,
  password: z.string().min(1).max(128),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

/** Response of login and refresh: a short-lived access token, a refresh token and its lifetime. */
export const TokenResponse = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int().positive(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

/** An opaque refresh token as identity issues it (256 random bits, base64url). */
export const RefreshToken = z.string().min(1).max(200);

/** Body of `POST /refresh`: trades a refresh token for a new pair; the old refresh token is spent. */
export const RefreshRequest = z.object({ refreshToken: RefreshToken });
export type RefreshRequest = z.infer<typeof RefreshRequest>;

/** Body of `POST /logout`: ends the session (the whole refresh-token family) the token belongs to. */
export const LogoutRequest = z.object({ refreshToken: RefreshToken });
export type LogoutRequest = z.infer<typeof LogoutRequest>;

/** Path parameters of `PUT|DELETE /admin/users/:userId/roles/:role`. */
export const UserRoleParams = z.object({
  userId: z.string().min(1).max(36),
  role: GrantableRole,
});
export type UserRoleParams = z.infer<typeof UserRoleParams>;

/** Response of the role admin endpoints: the user's roles and permissions after the change. */
export const UserRolesResponse = z.object({
  userId: z.string(),
  roles: z.array(z.string()),
  permissions: z.array(z.string()),
});
export type UserRolesResponse = z.infer<typeof UserRolesResponse>;

/** Lifecycle of a signing key: published before it signs, kept after it stops until its tokens expire. */
export const SigningKeyState = z.enum(['next', 'active', 'retiring']);
export type SigningKeyState = z.infer<typeof SigningKeyState>;

/** One signing key as `GET /admin/signing-keys` shows it: public facts only. */
export const SigningKeyView = z.object({
  kid: z.string(),
  alg: z.string(),
  state: SigningKeyState,
  createdAt: z.iso.datetime(),
  activatedAt: z.iso.datetime().optional(),
  /** When a retiring key leaves the JWKS: after the last token it signed has expired. */
  removeAfter: z.iso.datetime().optional(),
});
export type SigningKeyView = z.infer<typeof SigningKeyView>;
