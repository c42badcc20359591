import { z } from 'zod';

/** An e-mail address, trimmed and lower-cased so that one mailbox maps to one account. */
export const Email = z.string().trim().toLowerCase().max(254).pipe(z.email());

/** Body of `POST /auth/register`: a new account's e-mail and password. */
export const RegisterRequest = z.object({
  email: Email,
  password: z.string().min(8).max(128),
});
export type RegisterRequest = z.infer<typeof RegisterRequest>;

/** Body of `POST /auth/login`. The password length is not re-checked here, so the policy is not leaked. */
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
