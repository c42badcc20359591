import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { Public } from '@nestkit/auth';
import { LoginRequest, RegisterRequest, type TokenResponse } from '@nestkit/contracts/identity';
import { ZodValidationPipe } from '@nestkit/errors';
import { SigningKeys } from '../tokens/signing-keys';
import { UsersService } from './users.service';

/** Register, log in, and publish the keys that verify access tokens. */
@Public()
@Controller()
export class IdentityHttpController {
  constructor(
    private readonly users: UsersService,
    private readonly keys: SigningKeys,
  ) {}

  @Post('register')
  register(@Body(new ZodValidationPipe(RegisterRequest)) body: RegisterRequest): Promise<{ id: string; email: string }> {
    return this.users.register(body);
  }

  @Post('login')
  @HttpCode(200)
  login(@Body(new ZodValidationPipe(LoginRequest)) body: LoginRequest): Promise<TokenResponse> {
    return this.users.login(body);
  }

  @Get('.well-known/jwks.json')
  jwks(): ReturnType<SigningKeys['jwks']> {
    return this.keys.jwks();
  }
}
