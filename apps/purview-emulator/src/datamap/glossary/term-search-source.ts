import type { SearchableTerm } from '../search/term-index';
import { GlossaryNodeRecord } from './glossary.records';

/** Names (`Expert`, `Steward`) to contact lists, as a term's `contacts` holds them. */
type Contacts = Record<string, { id?: unknown; info?: unknown }[] | null | undefined>;

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * A stored term as search matches and shows it: descriptions, abbreviation, nickname, usage and examples are its text;
 * the term templates are the keys of its `attributes` (`{templateName: {attribute: value}}`) and its `templateName`s.
 */
export function searchableTermOf(record: GlossaryNodeRecord, glossaryName: string): SearchableTerm {
  const doc = JSON.parse(record.doc) as Record<string, unknown>;
  const contacts = (doc.contacts ?? {}) as Contacts;
  const examples: unknown[] = Array.isArray(doc.examples) ? (doc.examples as unknown[]) : [];
  const attributes = doc.attributes && typeof doc.attributes === 'object' ? Object.keys(doc.attributes) : [];
  const templateNames: string[] = Array.isArray(doc.templateName)
    ? (doc.templateName as unknown[]).filter((t): t is string => typeof t === 'string')
    : [];
  return {
    guid: record.guid,
    name: record.name,
    qualifiedName: record.qualifiedName,
    glossaryName,
    status: record.status ?? 'Draft',
    shortDescription: text(doc.shortDescription),
    longDescription: text(doc.longDescription),
    otherText: [doc.abbreviation, doc.nickName, doc.usage, ...examples].flatMap((v) => text(v) ?? []),
    templateNames: [...new Set([...attributes, ...templateNames])],
    contacts: Object.entries(contacts).flatMap(([contactType, list]) =>
      (list ?? []).flatMap((c) =>
        typeof c?.id === 'string' ? [{ id: c.id, info: typeof c.info === 'string' ? c.info : '', contactType }] : [],
      ),
    ),
    createTime: Number(record.createTime),
    updateTime: Number(record.updateTime),
  };
}
