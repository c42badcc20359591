/** Injection token of the {@link TokenVerifier} for end-user tokens; inject it to verify tokens yourself. */
export const TOKEN_VERIFIER = Symbol.for('nestkit.auth.token-verifier');

/** Injection token of the {@link RequestAuthenticator} the guard and the Passport strategy share. */
export const REQUEST_AUTHENTICATOR = Symbol.for('nestkit.auth.request-authenticator');

/** Injection token of the {@link MessageIdentityVerifier}; absent when message identity is not verified. */
export const MESSAGE_IDENTITY_VERIFIER = Symbol.for('nestkit.auth.message-identity-verifier');
