export { CONFIG, ConfigModule } from './lib/config.module';
export { type BaseConfig, baseConfigSchema, ConfigError, flag, loadConfig, logLevel, port } from './lib/load-config';
