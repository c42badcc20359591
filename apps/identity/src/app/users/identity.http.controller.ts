import { Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiNoContentResponse } from '@nestjs/swagger';
import { Anonymous, Public } from '@nestkit/auth';
import { CONFIG } from '@nestkit/config';
import { Email, LoginRequest, LogoutRequest, RefreshRequest, RegisterRequest, TokenResponse } from '@nestkit/contracts/identity';
import { ApiProblems, ApiZodResponse, ZodBody } from '@nestkit/openapi';
import { z } from 'zod';
import type { IdentityConfig } from '../identity.config';
import { SigningKeys } from '../keys/signing-keys';
import { clientIp } from '../login/client-ip';
import { SessionsService } from './sessions.service';
import { UsersService } from './users.service';

/** What `POST /register` answers: the new account. */
const RegisteredUser = z.object({ id: z.string().min(1), email: Email });

/** The JSON Web Key Set (RFC 7517) of the keys that verify identity's tokens: public members only. */
const JsonWebKeySet = z.object({
  keys: z.array(z.looseObject({ kty: z.string(), kid: z.string(), alg: z.string(), use: z.literal('sig') })),
});

interface ClientRequest {
  ip?: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Register, log in, refresh, log out, and publish the keys that verify tokens. */
@Controller()
export class IdentityHttpController {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly keys: SigningKeys,
    @Inject(CONFIG) private readonly config: IdentityConfig,
  ) {}

  @Public()
  @Post('register')
  @ApiZodResponse(201, RegisteredUser, 'The account was created.')
  @ApiProblems(409)
  register(@ZodBody(RegisterRequest) body: RegisterRequest): Promise<z.infer<typeof RegisteredUser>> {
    return this.users.register(body);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiZodResponse(200, TokenResponse, 'A new session: access and refresh token.')
  @ApiProblems(429)
  login(@ZodBody(LoginRequest) body: LoginRequest, @Req() request: ClientRequest): Promise<TokenResponse> {
    return this.sessions.login(body, clientIp(request.ip, request.headers['x-forwarded-for'], this.config.LOGIN_TRUSTED_PROXY_HOPS));
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiZodResponse(200, TokenResponse, 'A new token pair; the refresh token sent is spent.')
  refresh(@ZodBody(RefreshRequest) body: RefreshRequest): Promise<TokenResponse> {
    return this.sessions.refresh(body.refreshToken);
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The session is over (also when it already was).' })
  logout(@ZodBody(LogoutRequest) body: LogoutRequest): Promise<void> {
    return this.sessions.logout(body.refreshToken);
  }

  /** Fetched by every verifier directly, never through the gateway: no credentials at all. */
  @Anonymous()
  @Get('.well-known/jwks.json')
  @ApiZodResponse(200, JsonWebKeySet, 'The public keys that verify access tokens.')
  jwks(): ReturnType<SigningKeys['jwks']> {
    return this.keys.jwks();
  }
}
