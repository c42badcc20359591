export { freePort } from './lib/free-port';
export { type InfraUrls, infraUrls } from './lib/infra';
export { uniqueName } from './lib/names';
export { waitFor, type WaitOptions } from './lib/wait-for';
export { PrivateBroker, type PrivateBrokerKind } from './lib/private-broker';
export { PrivateRedis } from './lib/private-redis';
export { OtlpReceiver, type ReceivedSpan } from './lib/otlp-receiver';
