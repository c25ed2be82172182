import { PurviewError } from '../common/errors';
import { abbreviate } from '../common/validation';

/** Apache Atlas's `AtlasErrorCode`s for entity instances (intg/src/main/java/org/apache/atlas/AtlasErrorCode.java). */
export const ATLAS_GUID_NOT_FOUND = 'ATLAS-404-00-005';
export const ATLAS_UNIQUE_ATTRIBUTE_NOT_FOUND = 'ATLAS-404-00-009';
export const ATLAS_CONFLICT = 'ATLAS-409-00-001';
/** INSTANCE_GUID_DELETED. */
export const ATLAS_GUID_DELETED = 'ATLAS-404-00-012';
/** UNKNOWN_ATTRIBUTE. */
export const ATLAS_UNKNOWN_ATTRIBUTE = 'ATLAS-400-00-023';
/** ATTRIBUTE_UPDATE_NOT_SUPPORTED. */
export const ATLAS_ATTRIBUTE_UPDATE_NOT_SUPPORTED = 'ATLAS-400-00-027';
/** INVALID_PARTIAL_UPDATE_ATTR_VAL. */
export const ATLAS_INVALID_PARTIAL_UPDATE_VALUE = 'ATLAS-400-00-075';

const q = (text: string): string => abbreviate(text, 200);

export function guidNotFound(guid: string): PurviewError {
  return PurviewError.atlas(404, ATLAS_GUID_NOT_FOUND, `Given instance guid ${q(guid)} is invalid/not found`);
}

export function guidDeleted(guid: string): PurviewError {
  return PurviewError.atlas(404, ATLAS_GUID_DELETED, `Given instance guid ${q(guid)} has been deleted`);
}

export function uniqueAttributeNotFound(typeName: string, qualifiedName: string): PurviewError {
  return PurviewError.atlas(
    404,
    ATLAS_UNIQUE_ATTRIBUTE_NOT_FOUND,
    `Instance ${q(typeName)} with unique attribute {qualifiedName=${q(qualifiedName)}} does not exist`,
  );
}
