export { type AttackCase, type AttackKeys, type AttackSuite, attackTokens } from './lib/testing/attack-tokens';
export { FakeServiceTokenProvider } from './lib/testing/fake-service-token.provider';
export { type TestTokenOptions, TestTokens } from './lib/testing/test-tokens.fake';
export { TestMessageIdentities } from './lib/testing/test-message-identities';
