import { CreateUsers1732500000200 } from '../migrations/1732500000200-create-users';
import { SigningKeysAndSessions1732500000300 } from '../migrations/1732500000300-signing-keys-and-sessions';
import { SigningKeyEntity } from './keys/signing-key.entity';
import { LoginThrottleEntity } from './login/login-throttle.entity';
import { RefreshTokenEntity } from './tokens/refresh-token.entity';
import { UserEntity } from './users/user.entity';

/** The identity database: its entities and the migrations that build them, in order. */
export const IDENTITY_SCHEMA = {
  entities: [UserEntity, RefreshTokenEntity, SigningKeyEntity, LoginThrottleEntity],
  migrations: [CreateUsers1732500000200, SigningKeysAndSessions1732500000300],
};
