import type { AtlasTypesDef } from '@purview-emulator/contracts';

/** A model a user would upload with pyapacheatlas: one of each category, wired together. */
export const MODEL: AtlasTypesDef = {
  enumDefs: [{ name: 'contoso_tier', elementDefs: [{ value: 'Gold' }, { value: 'Silver' }] }],
  structDefs: [{ name: 'contoso_window', attributeDefs: [{ name: 'days', typeName: 'int', isOptional: true }] }],
  classificationDefs: [{ name: 'CONTOSO.CONFIDENTIAL', description: 'Contoso confidential' }],
  entityDefs: [
    { name: 'contoso_db', superTypes: ['DataSet'], attributeDefs: [] },
    {
      name: 'contoso_table',
      superTypes: ['DataSet'],
      attributeDefs: [
        { name: 'rowCount', typeName: 'long', isOptional: false },
        { name: 'tier', typeName: 'contoso_tier', isOptional: true },
        { name: 'retention', typeName: 'contoso_window', isOptional: true },
      ],
    },
  ],
  relationshipDefs: [
    {
      name: 'contoso_db_tables',
      relationshipCategory: 'COMPOSITION',
      endDef1: { type: 'contoso_db', name: 'tables', cardinality: 'SET', isContainer: true },
      endDef2: { type: 'contoso_table', name: 'db', cardinality: 'SINGLE' },
    },
  ],
  businessMetadataDefs: [
    { name: 'contoso_ops', attributeDefs: [{ name: 'owner_team', typeName: 'string', isOptional: true }] },
  ],
  termTemplateDefs: [
    { name: 'Contoso KPI', attributeDefs: [{ name: 'plain string', typeName: 'string', isOptional: true }] },
  ],
};
