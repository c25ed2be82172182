import type {
  AtlasAttributeDef,
  AtlasRelationshipDef,
  AtlasRelationshipEndDef,
  AtlasTypesDef,
  Cardinality,
  RelationshipCategory,
} from '@purview-emulator/contracts';

/** Builders that keep the built-in model readable: attributes are optional unless `required`. */
export const opt = (name: string, typeName: string, extra: Partial<AtlasAttributeDef> = {}): AtlasAttributeDef => ({
  name,
  typeName,
  isOptional: true,
  cardinality: 'SINGLE',
  ...extra,
});
export const required = (
  name: string,
  typeName: string,
  extra: Partial<AtlasAttributeDef> = {},
): AtlasAttributeDef => ({ name, typeName, isOptional: false, cardinality: 'SINGLE', ...extra });
export const end = (
  type: string,
  name: string,
  cardinality: Cardinality,
  isContainer = false,
): AtlasRelationshipEndDef => ({ type, name, cardinality, isContainer, isLegacyAttribute: false });
export function relationship(
  name: string,
  relationshipCategory: RelationshipCategory,
  endDef1: AtlasRelationshipEndDef,
  endDef2: AtlasRelationshipEndDef,
  attributeDefs: AtlasAttributeDef[] = [],
): AtlasRelationshipDef {
  return { name, relationshipCategory, endDef1, endDef2, attributeDefs, serviceType: 'atlas_core', typeVersion: '1.0' };
}

/** Attributes of the glossary's term-to-term relationships (Atlas's glossary model). */
const termRelationAttributes = (): AtlasAttributeDef[] => [
  opt('description', 'string'),
  opt('expression', 'string'),
  opt('status', 'AtlasGlossaryTermRelationshipStatus'),
  opt('steward', 'string'),
  opt('source', 'string'),
];

const termToTerm = (name: string, end1: string, end2: string): AtlasRelationshipDef =>
  relationship(
    name,
    'ASSOCIATION',
    end('AtlasGlossaryTerm', end1, 'SET'),
    end('AtlasGlossaryTerm', end2, 'SET'),
    termRelationAttributes(),
  );

const core = { serviceType: 'atlas_core', typeVersion: '1.0' };
const enumOf = (name: string, values: string[], description?: string) => ({
  ...core,
  name,
  ...(description ? { description } : {}),
  elementDefs: values.map((value, ordinal) => ({ value, ordinal })),
});

/**
 * Apache Atlas's base and glossary models (addons/models/0000-Area0: 0010-base_model.json with its patches,
 * 0011-glossary_model.json), which Purview's type system starts from, less Atlas's own bookkeeping types
 * (`__AtlasUserProfile`, audit entries, …). `glossary_term_status_value` is Purview's (Type_GetByName example).
 */
export const ATLAS_BASE_MODEL: AtlasTypesDef = {
  enumDefs: [
    enumOf('AtlasGlossaryTermRelationshipStatus', ['DRAFT', 'ACTIVE', 'DEPRECATED', 'OBSOLETE', 'OTHER']),
    enumOf('AtlasGlossaryTermAssignmentStatus', [
      'DISCOVERED',
      'PROPOSED',
      'IMPORTED',
      'VALIDATED',
      'DEPRECATED',
      'OBSOLETE',
      'OTHER',
    ]),
    enumOf('glossary_term_status_value', ['Approved', 'Alert', 'Expired', 'Draft']),
  ],
  entityDefs: [
    {
      ...core,
      name: 'Referenceable',
      superTypes: [],
      attributeDefs: [required('qualifiedName', 'string', { isUnique: true, isIndexable: true })],
    },
    { ...core, name: '__internal', superTypes: [], attributeDefs: [] },
    {
      ...core,
      name: 'Asset',
      superTypes: ['Referenceable'],
      attributeDefs: [
        required('name', 'string', { isIndexable: true }),
        opt('displayName', 'string'),
        opt('description', 'string'),
        opt('userDescription', 'string'),
        opt('owner', 'string'),
      ],
    },
    { ...core, name: 'DataSet', superTypes: ['Asset'], attributeDefs: [] },
    { ...core, name: 'Infrastructure', superTypes: ['Asset'], attributeDefs: [] },
    {
      ...core,
      name: 'Process',
      superTypes: ['Asset'],
      attributeDefs: [
        opt('inputs', 'array<DataSet>', { cardinality: 'SET' }),
        opt('outputs', 'array<DataSet>', { cardinality: 'SET' }),
      ],
    },
    { ...core, name: 'ProcessExecution', superTypes: ['Asset'], attributeDefs: [] },
    { ...core, name: 'Path', superTypes: ['DataSet'], attributeDefs: [] },
    {
      ...core,
      name: 'AtlasGlossary',
      superTypes: ['__internal'],
      attributeDefs: [
        required('qualifiedName', 'string', { isUnique: true, isIndexable: true }),
        required('name', 'string', { isIndexable: true }),
        opt('shortDescription', 'string'),
        opt('longDescription', 'string'),
        opt('language', 'string'),
        opt('usage', 'string'),
        opt('additionalAttributes', 'map<string,string>'),
      ],
    },
    {
      ...core,
      name: 'AtlasGlossaryTerm',
      superTypes: ['__internal'],
      attributeDefs: [
        required('qualifiedName', 'string', { isUnique: true, isIndexable: true }),
        required('name', 'string', { isIndexable: true }),
        opt('shortDescription', 'string'),
        opt('longDescription', 'string'),
        opt('examples', 'array<string>'),
        opt('abbreviation', 'string'),
        opt('usage', 'string'),
        opt('additionalAttributes', 'map<string,string>'),
      ],
    },
    {
      ...core,
      name: 'AtlasGlossaryCategory',
      superTypes: ['__internal'],
      attributeDefs: [
        required('qualifiedName', 'string', { isUnique: true, isIndexable: true }),
        required('name', 'string', { isIndexable: true }),
        opt('shortDescription', 'string'),
        opt('longDescription', 'string'),
        opt('additionalAttributes', 'map<string,string>'),
      ],
    },
  ],
  relationshipDefs: [
    relationship(
      'dataset_process_inputs',
      'AGGREGATION',
      end('Process', 'inputs', 'SET', true),
      end('DataSet', 'inputToProcesses', 'SET'),
    ),
    relationship(
      'process_dataset_outputs',
      'AGGREGATION',
      end('Process', 'outputs', 'SET', true),
      end('DataSet', 'outputFromProcesses', 'SET'),
    ),
    relationship(
      'AtlasGlossarySemanticAssignment',
      'ASSOCIATION',
      end('AtlasGlossaryTerm', 'assignedEntities', 'SET'),
      end('Referenceable', 'meanings', 'SET'),
      [
        opt('description', 'string'),
        opt('expression', 'string'),
        opt('status', 'AtlasGlossaryTermRelationshipStatus'),
        opt('confidence', 'int'),
        opt('createdBy', 'string'),
        opt('steward', 'string'),
        opt('source', 'string'),
      ],
    ),
    relationship(
      'AtlasGlossaryTermAnchor',
      'COMPOSITION',
      end('AtlasGlossary', 'terms', 'SET', true),
      end('AtlasGlossaryTerm', 'anchor', 'SINGLE'),
    ),
    relationship(
      'AtlasGlossaryTermCategorization',
      'AGGREGATION',
      end('AtlasGlossaryCategory', 'terms', 'SET', true),
      end('AtlasGlossaryTerm', 'categories', 'SET'),
      [opt('description', 'string'), opt('status', 'AtlasGlossaryTermRelationshipStatus')],
    ),
    relationship(
      'AtlasGlossaryCategoryAnchor',
      'COMPOSITION',
      end('AtlasGlossary', 'categories', 'SET', true),
      end('AtlasGlossaryCategory', 'anchor', 'SINGLE'),
    ),
    relationship(
      'AtlasGlossaryCategoryHierarchyLink',
      'AGGREGATION',
      end('AtlasGlossaryCategory', 'childrenCategories', 'SET', true),
      end('AtlasGlossaryCategory', 'parentCategory', 'SINGLE'),
    ),
    termToTerm('AtlasGlossaryRelatedTerm', 'seeAlso', 'seeAlso'),
    termToTerm('AtlasGlossarySynonym', 'synonyms', 'synonyms'),
    termToTerm('AtlasGlossaryAntonym', 'antonyms', 'antonyms'),
    termToTerm('AtlasGlossaryPreferredTerm', 'preferredTerms', 'preferredToTerms'),
    termToTerm('AtlasGlossaryReplacementTerm', 'replacedBy', 'replacementTerms'),
    termToTerm('AtlasGlossaryTranslation', 'translatedTerms', 'translationTerms'),
    termToTerm('AtlasGlossaryIsARelationship', 'classifies', 'isA'),
    termToTerm('AtlasGlossaryValidValue', 'validValuesFor', 'validValues'),
  ],
};
