import { z } from 'zod';
import { GrantableRole } from './identity.roles';

/** An e-mail address, trimmed and lower-cased so that one mailbox maps to one account. */
export const Email = z.string().trim().toLowerCase().max(254).pipe(z.email());

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
