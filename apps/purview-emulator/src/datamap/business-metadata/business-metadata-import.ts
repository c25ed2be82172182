import { CsvError, parse } from 'csv-parse/sync';
import { BUSINESS_METADATA_IMPORT_COLUMNS } from '@purview-emulator/contracts';
import { PurviewError } from '../../common/errors';
import { validateAttributeValue } from '../types/entity-validation';
import { q } from '../types/type-errors';
import { TypeRegistry, isEntityDef, parseCollectionType } from '../types/type-registry';
import { BM_ERRORS, BusinessValues, appliesTo, businessMetadataAttributes } from './business-attributes';

/** The template `GET …/businessmetadata/import/template` answers: the CSV header line, as Atlas sends it. */
export const BUSINESS_METADATA_TEMPLATE = BUSINESS_METADATA_IMPORT_COLUMNS.join(',');

/** A data row of the uploaded CSV, with its line number in the file (the header is line 1). */
export interface CsvRow {
  line: number;
  fields: string[];
}

/** An entity the import writes to, with the values its lines carry. */
export interface ImportTarget {
  guid: string;
  typeName: string;
  values: BusinessValues;
}

export interface ImportPlan {
  /** By `typeName` + unique attribute value, in first-line order. */
  targets: Map<string, ImportTarget>;
  /** One `Line #n: …` remark per refused line. */
  failures: string[];
}

/** Finds the entity a line names (exact type, by qualifiedName). */
export type EntityFinder = (typeName: string, qualifiedName: string) => Promise<{ guid: string } | undefined>;

/**
 * Reads the uploaded file as Atlas's `FileUtils.readFileData` does: only `.csv` (the emulator does not read Excel
 * workbooks), the first record is the header, records of fewer than two fields are skipped, and a file without
 * data rows is ATLAS-400-00-09B.
 */
export function readCsv(fileName: string | undefined, content: Buffer): CsvRow[] {
  if (!fileName || fileName.trim() === '')
    throw PurviewError.atlas(404, BM_ERRORS.FILE_NAME_NOT_FOUND, 'File name should not be blank');
  const extension = /\.([^./\\]*)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  if (extension !== 'csv') {
    const note = extension === 'xls' || extension === 'xlsx' ? ' The emulator reads .csv files only.' : '';
    throw PurviewError.atlas(
      400,
      BM_ERRORS.INVALID_FILE_TYPE,
      `The provided file type: ${q(fileName)} is not supported. Expected file formats are .csv and .xls.${note}`,
    );
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(content, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as typeof records;
  } catch (error) {
    const reason = error instanceof CsvError ? ` (${error.message})` : '';
    throw PurviewError.atlas(400, BM_ERRORS.NOT_VALID_FILE, `Invalid CSV file${reason}`);
  }
  const rows = records
    .slice(1)
    .filter((r) => r.record.length > 1)
    .map((r) => ({ line: r.info.lines, fields: r.record }));
  if (rows.length === 0) throw PurviewError.atlas(400, BM_ERRORS.NO_DATA_FOUND, 'No data found in the uploaded file');
  return rows;
}

const blank = (value: string | undefined): boolean => value === undefined || value.trim() === '';

/**
 * The value a line gives an attribute, checked against the attribute's type and length: an array attribute takes
 * `a|b|c` (Atlas's separator). Returns the value, or the line's failure remark.
 */
function lineValue(
  registry: TypeRegistry,
  field: string,
  typeName: string,
  raw: string,
  maxStrLength: number | undefined,
  line: string,
): unknown {
  const collection = parseCollectionType(typeName);
  const elementType = collection?.kind === 'array' ? collection.element : undefined;
  const value: unknown = elementType ? raw.split('|') : raw;
  const messages: string[] = [];
  if (elementType) {
    (value as string[]).forEach((v, i) => validateAttributeValue(registry, elementType, v, `${field}[${i}]`, messages));
    if (messages.length)
      return new Error(
        `${line}: the provided BusinessMetadata AttributeValue ${q(raw)} are not of type - ${elementType}`,
      );
  } else {
    validateAttributeValue(registry, typeName, value, field, messages);
    if (messages.length) return new Error(`${line}: ${messages[0]}`);
  }
  const strings = elementType === 'string' ? (value as string[]) : typeName.trim() === 'string' ? [raw] : [];
  if (maxStrLength !== undefined && strings.some((s) => s.length > maxStrLength)) {
    return new Error(`${line}: ${field}:  Business attribute-value exceeds maximum length limit`);
  }
  return value;
}

/**
 * Turns rows into per-entity writes with Atlas's line rules (`getBusinessMetadataDefList`): the four first fields
 * are required, the type must be an entity type, the unique attribute (default `qualifiedName`) must exist and be
 * unique, the entity must exist, and `BusinessAttributeName` is `bmName.attrName` of a business metadata that
 * applies to the type. Each value is also checked against its attribute here, so a bad value fails its own line
 * rather than every line of its entity.
 */
export async function planImport(
  rows: readonly CsvRow[],
  registry: TypeRegistry,
  findEntity: EntityFinder,
): Promise<ImportPlan> {
  const plan: ImportPlan = { targets: new Map(), failures: [] };
  for (const { line: n, fields } of rows) {
    const line = `Line #${n}`;
    const fail = (remark: string): void => void plan.failures.push(`${line}: ${remark}`);
    const [typeName, uniqueValue, bmAttribute, rawValue, uniqueNameField] = fields;
    if (fields.length < 4 || blank(typeName) || blank(uniqueValue) || blank(bmAttribute) || blank(rawValue)) {
      fail(`missing fields. [${fields.map((f) => q(f)).join(', ')}]`);
      continue;
    }
    if (!isEntityDef(registry.get(typeName))) {
      fail(`invalid entity-type '${q(typeName)}'`);
      continue;
    }
    const uniqueName = blank(uniqueNameField) ? 'qualifiedName' : uniqueNameField.trim();
    const uniqueDef = registry.allAttributes(typeName).get(uniqueName)?.def;
    if (!uniqueDef) {
      fail(`attribute '${q(uniqueName)}' not found in entity-type '${typeName}'`);
      continue;
    }
    if (!uniqueDef.isUnique) {
      fail(`attribute '${q(uniqueName)}' is not an unique attribute in entity-type '${typeName}'`);
      continue;
    }
    if (uniqueName !== 'qualifiedName') {
      fail(`attribute '${q(uniqueName)}': the emulator finds entities by qualifiedName only`);
      continue;
    }
    const key = `${typeName}\u0000${uniqueValue}`;
    let target = plan.targets.get(key);
    if (!target) {
      const found = await findEntity(typeName, uniqueValue);
      if (!found) {
        fail(`no ${typeName} entity found with ${uniqueName}=${q(uniqueValue)}`);
        continue;
      }
      target = { guid: found.guid, typeName, values: {} };
    }
    const dot = bmAttribute.indexOf('.');
    const bmName = dot > 0 ? bmAttribute.slice(0, dot) : '';
    const attrName = dot > 0 ? bmAttribute.slice(dot + 1) : '';
    const attribute = businessMetadataAttributes(registry, bmName)?.find((a) => a.def.name === attrName);
    if (!attribute || !appliesTo(registry, attribute, typeName)) {
      fail(`invalid business-metadata '${q(bmAttribute)}' for entity type '${typeName}'`);
      continue;
    }
    const value = lineValue(
      registry,
      `${typeName}.${bmName}.${attrName}`,
      attribute.def.typeName,
      rawValue,
      attribute.maxStrLength,
      line,
    );
    if (value instanceof Error) {
      plan.failures.push(value.message);
      continue;
    }
    (target.values[bmName] ??= {})[attrName] = value;
    plan.targets.set(key, target);
  }
  return plan;
}
