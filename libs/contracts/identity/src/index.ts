export { IdentityEvents, UserRegistered, UserRegisteredPayload } from './lib/identity.events';
export { Email, LoginRequest, RegisterRequest, TokenResponse } from './lib/identity.http';
