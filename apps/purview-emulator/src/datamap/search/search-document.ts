/** What search filters and keywords look at: one data map entity, flattened. */
export interface SearchDocument {
  guid: string;
  typeName: string;
  qualifiedName: string;
  name: string;
  description: string | null;
  attributes: Record<string, unknown>;
  /** Classification typeNames. */
  classifications: string[];
  /** Atlas labels. */
  labels: string[];
  /** More text keywords match (a glossary term's long description, abbreviation, synonyms…). */
  otherText?: string[];
  collectionId: string;
  createTime: number;
  updateTime: number;
}
