export { LoggingModule, type LoggingOptions } from './lib/logging.module';
export { REDACTED_PATHS } from './lib/redaction';
