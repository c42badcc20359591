export { type TestTokenOptions, TestTokens } from './lib/testing/test-tokens.fake';
