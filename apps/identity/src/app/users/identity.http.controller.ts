import { Body, Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { Anonymous, Public } from '@nestkit/auth';
import { CONFIG } from '@nestkit/config';
import { LoginRequest, LogoutRequest, RefreshRequest, RegisterRequest, type TokenResponse } from '@nestkit/contracts/identity';
import { ZodValidationPipe } from '@nestkit/errors';
import type { IdentityConfig } from '../identity.config';
import { SigningKeys } from '../keys/signing-keys';
import { clientIp } from '../login/client-ip';
import { SessionsService } from './sessions.service';
import { UsersService } from './users.service';

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
  register(@Body(new ZodValidationPipe(RegisterRequest)) body: RegisterRequest): Promise<{ id: string; email: string }> {
    return this.users.register(body);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  login(@Body(new ZodValidationPipe(LoginRequest)) body: LoginRequest, @Req() request: ClientRequest): Promise<TokenResponse> {
    return this.sessions.login(body, clientIp(request.ip, request.headers['x-forwarded-for'], this.config.LOGIN_TRUSTED_PROXY_HOPS));
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  refresh(@Body(new ZodValidationPipe(RefreshRequest)) body: RefreshRequest): Promise<TokenResponse> {
    return this.sessions.refresh(body.refreshToken);
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  logout(@Body(new ZodValidationPipe(LogoutRequest)) body: LogoutRequest): Promise<void> {
    return this.sessions.logout(body.refreshToken);
  }

  /** Fetched by every verifier directly, never through the gateway: no credentials at all. */
  @Anonymous()
  @Get('.well-known/jwks.json')
  jwks(): ReturnType<SigningKeys['jwks']> {
    return this.keys.jwks();
  }
}
