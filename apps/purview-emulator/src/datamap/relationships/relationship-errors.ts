import { PurviewError } from '../../common/errors';
import { q } from '../types/type-errors';

/** The Apache Atlas error codes of relationship instances (`AtlasErrorCode`), with Atlas's statuses and wording. */
export const RELATIONSHIP_ERRORS = {
  TYPE_NAME_INVALID: 'ATLAS-400-00-014',
  INVALID_PARAMETERS: 'ATLAS-400-00-01A',
  INVALID_RELATIONSHIP_END_TYPE: 'ATLAS-400-00-036',
  RELATIONSHIP_INVALID_ENDTYPE: 'ATLAS-400-00-045',
  RELATIONSHIP_UPDATE_END_CHANGE_NOT_ALLOWED: 'ATLAS-400-00-069',
  RELATIONSHIP_UPDATE_TYPE_CHANGE_NOT_ALLOWED: 'ATLAS-400-00-06A',
  RELATIONSHIP_END_IS_NULL: 'ATLAS-400-00-07D',
  INSTANCE_GUID_NOT_FOUND: 'ATLAS-404-00-005',
  INSTANCE_CRUD_INVALID_PARAMS: 'ATLAS-404-00-007',
  INSTANCE_BY_UNIQUE_ATTRIBUTE_NOT_FOUND: 'ATLAS-404-00-009',
  RELATIONSHIP_GUID_NOT_FOUND: 'ATLAS-404-00-00C',
  RELATIONSHIP_CRUD_INVALID_PARAMS: 'ATLAS-404-00-00D',
  RELATIONSHIP_ALREADY_DELETED: 'ATLAS-404-00-00F',
  INSTANCE_GUID_DELETED: 'ATLAS-404-00-012',
  RELATIONSHIP_ALREADY_EXISTS: 'ATLAS-409-00-004',
} as const;

const E = RELATIONSHIP_ERRORS;

export const invalidParameters = (message: string): PurviewError =>
  PurviewError.atlas(400, E.INVALID_PARAMETERS, `invalid parameters: ${message}`);
export const relationshipNotFound = (guid: string): PurviewError =>
  PurviewError.atlas(404, E.RELATIONSHIP_GUID_NOT_FOUND, `Given relationship guid ${q(guid)} is invalid/not found`);
export const unknownRelationshipType = (name: string): PurviewError =>
  PurviewError.atlas(400, E.TYPE_NAME_INVALID, `Type RELATIONSHIP with name ${q(name)} does not exist`);
export const entityGuidNotFound = (guid: string): PurviewError =>
  PurviewError.atlas(404, E.INSTANCE_GUID_NOT_FOUND, `Given instance guid ${q(guid)} is invalid/not found`);
export const entityKeyNotFound = (typeName: string, qualifiedName: string): PurviewError =>
  PurviewError.atlas(
    404,
    E.INSTANCE_BY_UNIQUE_ATTRIBUTE_NOT_FOUND,
    `Instance ${q(typeName)} with unique attribute {qualifiedName=${q(qualifiedName)}} does not exist`,
  );
/** Atlas's RELATIONSHIP_CRUD_INVALID_PARAMS, which Atlas answers with 404. */
export const invalidRelationship = (message: string): PurviewError =>
  PurviewError.atlas(
    404,
    E.RELATIONSHIP_CRUD_INVALID_PARAMS,
    `Invalid relationship creation/updation parameters passed : ${message}`,
  );
