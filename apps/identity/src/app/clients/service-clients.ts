import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtTokenVerifier, type Principal } from '@nestkit/auth';
import { CONFIG } from '@nestkit/config';
import type { OAuthTokenRequest, OAuthTokenResponse } from '@nestkit/contracts/identity';
import { ACCESS_TOKEN_TOKEN_TYPE, permissionsFor, TOKEN_EXCHANGE_GRANT } from '@nestkit/contracts/identity';
import { UnauthenticatedError, ValidationError } from '@nestkit/errors';
import { decodeJwt } from 'jose';
import type { IdentityConfig } from '../identity.config';
import { SigningKeys } from '../keys/signing-keys';
import { PasswordHasher } from '../users/password-hasher';
import type { ClientCredentials } from './client-credentials';
import type { ServiceClient } from './service-clients.config';

/**
 * The token endpoint's logic: authenticates service clients from SERVICE_CLIENTS (argon2id-hashed
 * secrets; an unknown id costs the same dummy verification as a wrong secret and fails the same way),
 * then issues short-lived `service+jwt` tokens for one of the client's allowed audiences, or, by token
 * exchange, on behalf of the user whose access token the client presents.
 */
@Injectable()
export class ServiceClients {
  private readonly logger = new Logger(ServiceClients.name);
  private readonly clients: Map<string, ServiceClient>;
  private readonly userTokens: JwtTokenVerifier;

  constructor(
    @Inject(CONFIG) private readonly config: IdentityConfig,
    private readonly hasher: PasswordHasher,
    private readonly keys: SigningKeys,
  ) {
    this.clients = new Map(config.SERVICE_CLIENTS.map((client) => [client.id, client]));
    this.userTokens = JwtTokenVerifier.fromKeyProvider(() => keys.jwks(), { issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE });
  }

  /** Authenticates the client and issues the token the grant asks for. */
  async token(credentials: ClientCredentials, request: OAuthTokenRequest): Promise<OAuthTokenResponse> {
    const client = await this.authenticate(credentials);
    const audience = this.audienceFor(client, request.audience);
    const onBehalfOf = request.grant_type === TOKEN_EXCHANGE_GRANT ? await this.subjectOf(request.subject_token) : undefined;
    const signed = await this.keys.signer.signServiceToken({
      clientId: client.id,
      audience,
      ttlSec: this.config.SERVICE_TOKEN_TTL_SEC,
      roles: client.roles,
      permissions: client.permissions,
      ...(onBehalfOf ? { onBehalfOf } : {}),
    });
    this.logger.log({ clientId: client.id, audience, onBehalfOf: onBehalfOf?.subject, tokenId: signed.tokenId }, 'service token issued');
    return {
      access_token: signed.token,
      token_type: 'Bearer',
      expires_in: signed.expiresIn,
      ...(onBehalfOf ? { issued_token_type: ACCESS_TOKEN_TOKEN_TYPE } : {}),
    };
  }

  private async authenticate({ clientId, clientSecret }: ClientCredentials): Promise<ServiceClient> {
    const client = this.clients.get(clientId);
    const ok = await this.hasher.verifyOrDummy(client?.secretHash, clientSecret);
    if (!client || !ok) throw new UnauthenticatedError('client authentication failed', 'identity.invalid-client');
    return client;
  }

  private audienceFor(client: ServiceClient, requested: string | undefined): string | string[] {
    if (requested === undefined) return client.audiences.length === 1 ? (client.audiences[0] as string) : client.audiences;
    if (client.audiences.includes(requested)) return requested;
    throw new ValidationError(`audience "${requested}" is not allowed for client "${client.id}"`, [{ path: 'audience', message: `allowed: ${client.audiences.join(', ')}` }], 'identity.invalid-audience');
  }

  private async subjectOf(subjectToken: string): Promise<{ subject: string; roles: readonly string[]; permissions: string[]; expiresAt: number }> {
    let user: Principal;
    try {
      user = await this.userTokens.verify(subjectToken);
    } catch (error) {
      if (error instanceof UnauthenticatedError) {
        throw new ValidationError(`subject_token is not a valid access token: ${error.message}`, [{ path: 'subject_token', message: error.message }], 'identity.invalid-subject-token');
      }
      throw error;
    }
    return { subject: user.subject, roles: user.roles, permissions: [...(user.permissions ?? permissionsFor(user.roles))], expiresAt: decodeJwt(subjectToken).exp as number };
  }
}
