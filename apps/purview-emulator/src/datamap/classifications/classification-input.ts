import { z } from 'zod';
import {
  AtlasClassificationInputSchema,
  AtlasEntityHeadersSchema,
  ClassificationAssociateOptionsSchema,
  type AtlasClassificationInput,
  type AtlasEntityHeaders,
  type ClassificationAssociateOptions,
} from '@purview-emulator/contracts';
import { PurviewError } from '../../common/errors';
import { abbreviate } from '../../common/validation';
import { ATLAS_INVALID_INSTANCE } from '../atlas-input';

/** Atlas's INVALID_PARAMETERS (400): the body does not have the spec's shape. */
function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, body: unknown, what: string): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${abbreviate(i.message, 200)}`);
  throw PurviewError.atlas(
    400,
    ATLAS_INVALID_INSTANCE,
    `invalid parameters: the request body must be ${what}. ${problems.join('; ')}`,
  );
}

/** `AtlasClassification[]` (add and update, by guid and by unique attribute). */
export function parseClassifications(body: unknown): AtlasClassificationInput[] {
  return parse(z.array(AtlasClassificationInputSchema), body, 'an array of AtlasClassification ([{"typeName": …}])');
}

/** `ClassificationAssociateOptions` (`POST entity/bulk/classification`). */
export function parseAssociateOptions(body: unknown): ClassificationAssociateOptions {
  return parse(
    ClassificationAssociateOptionsSchema,
    body,
    'a ClassificationAssociateOptions ({"classification": {…}, "entityGuids": […]})',
  );
}

/** `AtlasEntityHeaders` (`POST entity/bulk/setClassifications`). */
export function parseEntityHeaders(body: unknown): AtlasEntityHeaders {
  return parse(
    AtlasEntityHeadersSchema,
    body,
    'an AtlasEntityHeaders ({"guidHeaderMap": {guid: {"typeName", "attributes", "classifications"}}})',
  );
}
