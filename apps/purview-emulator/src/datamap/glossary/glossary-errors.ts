import { PurviewError } from '../../common/errors';

/** The Atlas errors of the glossary (apache/atlas AtlasErrorCode), raised as Purview answers them. */
export const glossaryErrors = {
  notFound: (guid: string) =>
    PurviewError.atlas(404, 'ATLAS-404-00-005', `Given instance guid ${guid} is invalid/not found`),
  glossaryExists: (qn: string) =>
    PurviewError.atlas(409, 'ATLAS-409-00-007', `Glossary with qualifiedName ${qn} already exists`),
  termExists: (qn: string) =>
    PurviewError.atlas(409, 'ATLAS-409-00-009', `Glossary term with qualifiedName ${qn} already exists`),
  categoryExists: (qn: string) =>
    PurviewError.atlas(409, 'ATLAS-409-00-00A', `Glossary category with qualifiedName ${qn} already exists`),
  glossaryNameMissing: () =>
    PurviewError.atlas(
      400,
      'ATLAS-400-00-079',
      'Attributes qualifiedName and name are missing. Failed to derive a unique name for Glossary',
    ),
  termNameMissing: () =>
    PurviewError.atlas(
      400,
      'ATLAS-400-00-07A',
      'Attributes qualifiedName, name & glossary name are missing. Failed to derive a unique name for Glossary term',
    ),
  categoryNameMissing: () => PurviewError.atlas(400, 'ATLAS-400-00-082', 'Category name is empty/null'),
  invalidName: () =>
    PurviewError.atlas(400, 'ATLAS-400-00-083', "name cannot contain following special chars ('@', '.')"),
  anchorMissing: () => PurviewError.atlas(400, 'ATLAS-400-00-072', 'Mandatory anchor attribute is missing'),
  anchorChange: () => PurviewError.atlas(400, 'ATLAS-400-00-0010', 'Anchor(glossary) change not supported'),
  relationToSelf: () =>
    PurviewError.atlas(400, 'ATLAS-400-00-07E', "Invalid Term relationship: Term can't have a relationship with self"),
  otherGlossary: (guid: string) =>
    PurviewError.atlas(
      400,
      'ATLAS-400-00-07F',
      `Invalid child category relationship: Child category (guid = ${guid}) belongs to different glossary`,
    ),
  termAssigned: (guid: string, count: number) =>
    PurviewError.atlas(
      400,
      'ATLAS-400-00-084',
      `Term (guid=${guid}) can't be deleted as it has been assigned to ${count} entities.`,
    ),
  partialAttribute: (attribute: string, of: string) =>
    PurviewError.atlas(400, 'ATLAS-400-00-074', `Invalid attribute ${attribute} for partial update of ${of}`),
  partialValue: (of: string, expected: string, found: string) =>
    PurviewError.atlas(
      400,
      'ATLAS-400-00-075',
      `Invalid attrVal for partial update of ${of}, expected = ${expected} found ${found}`,
    ),
  invalidDissociation: (relationGuid: string, termGuid: string, entityGuid: string) =>
    PurviewError.atlas(
      400,
      'ATLAS-400-00-080',
      `Given relationshipGuid(${relationGuid}) is invalid for term (guid=${termGuid}) and entity(guid=${entityGuid})`,
    ),
  emptyRequest: () =>
    PurviewError.atlas(400, 'ATLAS-400-00-100', 'Empty Request or null, expects a list of AtlasRelatedObjectId'),
  badParam: (name: string, value: unknown) =>
    PurviewError.atlas(400, 'ATLAS-400-00-01A', `Invalid parameter ${name}: ${String(value)}`),
};
