import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { Permissions } from '@nestkit/auth';
import { Permission, SigningKeyView } from '@nestkit/contracts/identity';
import { ApiProblems, ApiZodResponse } from '@nestkit/openapi';
import { z } from 'zod';
import { SigningKeys } from './signing-keys';

/** Inspect the signing keys and rotate them on demand (e.g. after a suspected compromise of the active key). */
@Controller('admin/signing-keys')
export class SigningKeysAdminController {
  constructor(private readonly keys: SigningKeys) {}

  @Get()
  @Permissions(Permission.keysRead)
  @ApiZodResponse(200, z.array(SigningKeyView), 'Every signing key with its state.')
  list(): SigningKeyView[] {
    return this.keys.views();
  }

  /** 200 with the keys after rotation; 409 `identity.next-key-not-ready` while the next key is too freshly published. */
  @Post('rotate')
  @HttpCode(200)
  @Permissions(Permission.keysRotate)
  @ApiZodResponse(200, z.array(SigningKeyView), 'The keys after rotation.')
  @ApiProblems(409)
  rotate(): Promise<SigningKeyView[]> {
    return this.keys.rotate();
  }
}
