import { SetMetadata } from '@nestjs/common';
import type { PurviewRole } from '@purview-emulator/contracts';
import type { Permission } from './access-policy';

export const REQUIRED_ROLES = 'purview-emulator:required-roles';

/**
 * The Purview roles an operation needs; any one of them suffices. On a controller it is the default for every
 * route, so routes added later are protected too; a route's own decorator overrides it. Pass a Permission from
 * ACCESS (preferred: its purpose goes into 403 messages) or role names.
 */
export function RequireRoles(permission: Permission): MethodDecorator & ClassDecorator;
export function RequireRoles(...roles: PurviewRole[]): MethodDecorator & ClassDecorator;
export function RequireRoles(...args: (Permission | PurviewRole)[]): MethodDecorator & ClassDecorator {
  const permission: Permission =
    typeof args[0] === 'object' ? args[0] : { roles: args as PurviewRole[], purpose: 'this operation' };
  return SetMetadata(REQUIRED_ROLES, permission);
}
