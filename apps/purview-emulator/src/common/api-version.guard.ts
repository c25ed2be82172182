import { displayValue } from '@purview-emulator/contracts';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DATAMAP_API_VERSIONS, SCANNING_API_VERSIONS } from '@purview-emulator/contracts';
import { PurviewError } from './errors';
import { routePathOf } from './route-path';

export interface VersionRule {
  prefix: string;
  versions: readonly string[];
  /** Routes whose spec makes api-version required; elsewhere a missing one defaults, as real clients omit it. */
  required?: RegExp;
}

/** Which paths take `api-version`, and which must send it (the API docs document the same). */
export const API_VERSION_RULES: readonly VersionRule[] = [
  { prefix: '/scan/', versions: SCANNING_API_VERSIONS },
  {
    prefix: '/datamap/api/',
    versions: DATAMAP_API_VERSIONS,
    required: /^\/datamap\/api\/(search\/|entity\/moveTo|lineage\/[^/]+\/next|types\/termtemplatedef)/,
  },
  { prefix: '/catalog/api/', versions: DATAMAP_API_VERSIONS },
];

/** Checks `api-version` the way each API family does; unknown versions get a 400 that lists the supported ones. */
@Injectable()
export class ApiVersionGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const path = routePathOf(request);
    const rule = API_VERSION_RULES.find((r) => path.startsWith(r.prefix));
    if (!rule) return true;
    const value = (request.query as Record<string, unknown> | undefined)?.['api-version'];
    if (value === undefined || value === '') {
      if (rule.required?.test(path)) {
        throw new PurviewError(
          400,
          'MissingApiVersionParameter',
          `The api-version query parameter (?api-version=) is required for this request. Supported versions: ${rule.versions.join(', ')}.`,
        );
      }
      return true;
    }
    if (typeof value !== 'string' || !rule.versions.includes(value)) {
      throw new PurviewError(
        400,
        'InvalidApiVersionParameter',
        `The api-version '${displayValue(value)}' is invalid. The supported versions are '${rule.versions.join(', ')}'.`,
      );
    }
    return true;
  }
}
