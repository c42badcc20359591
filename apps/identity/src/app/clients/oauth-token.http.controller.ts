import { Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiConsumes } from '@nestjs/swagger';
import { Anonymous } from '@nestkit/auth';
import { OAuthTokenRequest, OAuthTokenResponse } from '@nestkit/contracts/identity';
import { ApiProblems, ApiZodResponse, ZodBody } from '@nestkit/openapi';
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
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiZodResponse(200, OAuthTokenResponse, 'A service token (client credentials) or an on-behalf-of token (token exchange).')
  @ApiProblems(401)
  token(@Headers('authorization') authorization: string | undefined, @ZodBody(OAuthTokenRequest) body: OAuthTokenRequest): Promise<OAuthTokenResponse> {
    return this.clients.token(clientCredentials(authorization, body), body);
  }
}
