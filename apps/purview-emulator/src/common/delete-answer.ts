import type { FastifyReply } from 'fastify';
import { DEFAULT_SCANNING_API_VERSION } from '@purview-emulator/contracts';

/**
 * How a scanning DELETE answers: 2023-09-01 declares 204 with no body; the earlier versions answered 200 with the
 * deleted resource (recorded 2018-12-01-preview traffic: a data source DELETE is 200 with `properties`, `kind`, `id`,
 * `name`). A missing api-version means 2023-09-01.
 */
export function deleteAnswer<T>(reply: FastifyReply, apiVersion: string | undefined, deleted: T): T | undefined {
  if (!apiVersion || apiVersion === DEFAULT_SCANNING_API_VERSION) {
    void reply.status(204);
    return undefined;
  }
  void reply.status(200);
  return deleted;
}
