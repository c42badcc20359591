/** Injection token of the {@link TokenVerifier} the guard uses; inject it to verify tokens yourself. */
export const TOKEN_VERIFIER = Symbol.for('nestkit.auth.token-verifier');
