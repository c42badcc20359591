export { IdentityEvents, UserRegistered, UserRegisteredPayload } from './lib/identity.events';
export {
  Email,
  LoginRequest,
  LogoutRequest,
  RefreshRequest,
  RefreshToken,
  RegisterRequest,
  SigningKeyState,
  SigningKeyView,
  TokenResponse,
  UserRoleParams,
  UserRolesResponse,
} from './lib/identity.http';
export {
  ACCESS_TOKEN_TOKEN_TYPE,
  CLIENT_CREDENTIALS_GRANT,
  OAuthTokenRequest,
  OAuthTokenResponse,
  TOKEN_EXCHANGE_GRANT,
} from './lib/identity.oauth';
export { GrantableRole, Permission, permissionsFor, Role, ROLE_PERMISSIONS } from './lib/identity.roles';
