import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { AccessRule } from '../authorization/access-rule';
import { IS_ANONYMOUS, IS_PUBLIC, IS_SERVICE_ONLY, REQUIRED_PERMISSIONS, REQUIRED_ROLES } from './auth.decorators';

/** The access rule a handler's (or, failing that, its controller's) decorators declare. */
export function accessRuleOf(reflector: Reflector, context: ExecutionContext): AccessRule {
  const targets = [context.getHandler(), context.getClass()];
  const read = <T>(key: string) => reflector.getAllAndOverride<T | undefined>(key, targets);
  return {
    anonymous: read<boolean>(IS_ANONYMOUS) ?? false,
    public: read<boolean>(IS_PUBLIC) ?? false,
    serviceOnly: read<boolean>(IS_SERVICE_ONLY) ?? false,
    roles: read<string[]>(REQUIRED_ROLES) ?? [],
    permissions: read<string[]>(REQUIRED_PERMISSIONS) ?? [],
  };
}
