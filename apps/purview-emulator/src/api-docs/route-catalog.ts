import { RequestMethod, type CanActivate, type Type } from '@nestjs/common';
import { GUARDS_METADATA, HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { ARM_ROUTE, OWN_CREDENTIAL, PUBLIC_ROUTE } from '../identity/authentication.decorators';
import type { Permission } from '../identity/access-policy';
import { REQUIRED_ROLES } from '../identity/require-roles.decorator';
import { NodeAuthGuard } from '../runtime-gateway/node-auth.guard';

/** How a route authenticates its caller. */
/** How a route authenticates its caller: `keyVault` is a bearer token for Key Vault's audience. */
export type RouteAuth = 'public' | 'bearer' | 'arm' | 'node' | 'keyVault';

/** One route the app serves, as its controller declares it. */
export interface CatalogRoute {
  method: string;
  /** Nest's pattern: `/scan/datasources/:dataSourceName`, actions as `/-/action` (see common/url-rewrite). */
  path: string;
  controller: string;
  handler: string;
  auth: RouteAuth;
  permission?: Permission;
  /** `@HttpCode`, else Nest's default (201 for POST, 200 otherwise). */
  successStatus: number;
}

function metadataOf<T>(key: string, handler: object, type: Type): T | undefined {
  return (Reflect.getMetadata(key, handler) as T | undefined) ?? (Reflect.getMetadata(key, type) as T | undefined);
}

function authOf(handler: object, type: Type): RouteAuth {
  if (metadataOf<boolean>(PUBLIC_ROUTE, handler, type)) return 'public';
  const guards = [
    ...((Reflect.getMetadata(GUARDS_METADATA, handler) as (CanActivate | Type<CanActivate>)[] | undefined) ?? []),
    ...((Reflect.getMetadata(GUARDS_METADATA, type) as (CanActivate | Type<CanActivate>)[] | undefined) ?? []),
  ];
  const own = guards
    .map((g) => (typeof g === 'function' ? g : (g.constructor as Type<CanActivate>)))
    .find((g) => Reflect.getMetadata(OWN_CREDENTIAL, g));
  if (own) return own === NodeAuthGuard ? 'node' : 'keyVault';
  return metadataOf<boolean>(ARM_ROUTE, handler, type) ? 'arm' : 'bearer';
}

/**
 * Every route the app's controllers declare, read from their own metadata (the same way the every-route auth test
 * finds them), so a route added later is documented, or the docs test says it is not.
 */
export function routeCatalog(app: INestApplicationContext): CatalogRoute[] {
  const routes = new Map<string, CatalogRoute>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as Type;
      const bases = ([] as string[]).concat((Reflect.getMetadata(PATH_METADATA, type) as string | string[]) ?? '');
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler = (type.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (paths === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const httpCode = Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined;
        for (const base of bases)
          for (const p of ([] as string[]).concat(paths)) {
            const path = `/${base}/${p}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
            routes.set(`${method} ${path}`, {
              method,
              path,
              controller: type.name,
              handler: name,
              auth: authOf(handler, type),
              permission: metadataOf<Permission>(REQUIRED_ROLES, handler, type),
              successStatus: httpCode ?? (method === 'POST' ? 201 : 200),
            });
          }
      }
    }
  }
  return [...routes.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
