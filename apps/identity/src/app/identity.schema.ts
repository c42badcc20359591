import { CreateUsers1732500000200 } from '../migrations/1732500000200-create-users';
import { RefreshTokenEntity } from './tokens/refresh-token.entity';
import { UserEntity } from './users/user.entity';

/** The identity database: its entities and the migrations that build them, in order. */
export const IDENTITY_SCHEMA = {
  entities: [UserEntity, RefreshTokenEntity],
  migrations: [CreateUsers1732500000200],
};
