import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { Anonymous } from '@nestkit/auth';
import { OAuthTokenRequest, type OAuthTokenResponse } from '@nestkit/contracts/identity';
import { ZodValidationPipe } from '@nestkit/errors';
import { clientCredentials } from './client-credentials';
import { ServiceClients } from './service-clients';

/**
 * `POST /oauth/token` (RFC 6749 §4.4 client credentials, RFC 8693 token exchange), form-encoded or JSON.
 * Services call it directly with their own credentials, so it needs no other token.
 */
@Controller('oauth')
export class OAuthTokenHttpController {
  constructor(private readonly clients: ServiceClients) {}

  @Anonymous()
  @Post('token')
  @HttpCode(200)
  token(@Headers('authorization') authorization: string | undefined, @Body(new ZodValidationPipe(OAuthTokenRequest)) body: OAuthTokenRequest): Promise<OAuthTokenResponse> {
    return this.clients.token(clientCredentials(authorization, body), body);
  }
}
