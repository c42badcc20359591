import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SigningKeyEntity } from './signing-key.entity';
import { SigningKeyStore } from './signing-key.store';
import { SigningKeys } from './signing-keys';
import { SigningKeysAdminController } from './signing-keys.admin.controller';

/** The persisted, rotating signing keys; exported so auth can verify with them and sessions can sign. */
@Module({
  imports: [TypeOrmModule.forFeature([SigningKeyEntity])],
  controllers: [SigningKeysAdminController],
  providers: [SigningKeyStore, SigningKeys],
  exports: [SigningKeys],
})
export class KeysModule {}
