import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { CONFIG } from '@nestkit/config';
import { Role } from '@nestkit/contracts/identity';
import type { Repository } from 'typeorm';
import type { IdentityConfig } from '../identity.config';
import { UserEntity } from './user.entity';
import { joinRoles, splitRoles } from './user-roles';

/**
 * Makes the BOOTSTRAP_ADMIN_EMAIL account admin at startup when it exists (registration covers the case
 * where it does not yet). The way to get the first admin: register the account, set the variable,
 * restart identity, then remove the variable and manage roles through the admin endpoints.
 */
@Injectable()
export class BootstrapAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapAdmin.name);

  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @Inject(CONFIG) private readonly config: IdentityConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const email = this.config.BOOTSTRAP_ADMIN_EMAIL;
    if (!email) return;
    const user = await this.users.findOneBy({ email });
    if (!user) {
      this.logger.warn('BOOTSTRAP_ADMIN_EMAIL has no account yet: it becomes admin when it registers, if no admin exists by then');
      return;
    }
    const roles = splitRoles(user.roles);
    if (roles.includes(Role.admin)) return;
    await this.users.update({ id: user.id }, { roles: joinRoles([...roles, Role.admin]) });
    this.logger.log({ userId: user.id }, 'BOOTSTRAP_ADMIN_EMAIL account made admin');
  }
}
