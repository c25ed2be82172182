import type { SearchResultValue } from '@purview-emulator/contracts';
import { AtlasEntityRecord } from '../atlas-entity.record';
import { labelsOf, toSearchDocument } from '../entity-model';
import { assetTypesOf, objectTypeOf } from './search-filter';

/** One entity as a search hit (`SearchResultValue`), without highlights; query and suggest share it. */
export function searchResultValue(record: AtlasEntityRecord, score: number): SearchResultValue {
  const doc = toSearchDocument(record);
  const owner = doc.attributes.owner;
  return {
    '@search.score': score,
    objectType: objectTypeOf(doc.typeName),
    createTime: doc.createTime,
    updateTime: doc.updateTime,
    id: doc.guid,
    name: doc.name,
    qualifiedName: doc.qualifiedName,
    entityType: doc.typeName,
    description: doc.description,
    owner: typeof owner === 'string' ? owner : null,
    classification: doc.classifications,
    label: labelsOf(record),
    // Glossary term assignments: SearchService fills them for the page from the glossary's TermIndex.
    term: [],
    contact: [],
    assetType: assetTypesOf(doc.typeName),
    collectionId: doc.collectionId,
  };
}
