import type { AtlasStructDef } from '@purview-emulator/contracts';
import { PurviewError } from '../../common/errors';
import { abbreviate } from '../../common/validation';
import { validateAttributeValue } from '../types/entity-validation';
import { typeNameNotFound } from '../types/type-errors';
import type { TypeRegistry } from '../types/type-registry';

/** Atlas's codes for an attribute its type does not define, and for bad instance values. */
const UNKNOWN_ATTRIBUTE = 'ATLAS-400-00-023';
const INSTANCE_CRUD_INVALID_PARAMS = 'ATLAS-404-00-007';

/**
 * Checks a term's `attributes` (`{templateName: {attribute: value}}`) against the term template defs, as the type
 * system checks business metadata values: each key must name a term template (404 `ATLAS-404-00-001`, "Given typename
 * … was invalid"), each attribute must be one of its attributeDefs (400 `ATLAS-400-00-023`), each value must be of its
 * attribute's type, and a mandatory attribute (`isOptional: false`) of a template used must have a value (one 404
 * `ATLAS-404-00-007` listing every value problem). Null values are allowed for optional attributes.
 */
export function validateTermTemplateValues(
  registry: TypeRegistry,
  attributes: Record<string, Record<string, unknown> | null | undefined> | null | undefined,
): void {
  const messages: string[] = [];
  for (const [templateName, values] of Object.entries(attributes ?? {})) {
    const def = registry.get(templateName);
    if (def?.category !== 'TERM_TEMPLATE') throw typeNameNotFound(templateName);
    const attributeDefs = (def as AtlasStructDef).attributeDefs ?? [];
    const given = values ?? {};
    for (const name of Object.keys(given)) {
      if (!attributeDefs.some((a) => a.name === name))
        throw PurviewError.atlas(
          400,
          UNKNOWN_ATTRIBUTE,
          `Unrecognized attribute ${abbreviate(name, 120)} in ${abbreviate(templateName, 120)}`,
        );
    }
    for (const attributeDef of attributeDefs) {
      const value = given[attributeDef.name];
      const field = `${templateName}.${attributeDef.name}`;
      if (value === null || value === undefined) {
        if (attributeDef.isOptional === false)
          messages.push(`${field}: mandatory attribute value missing in term template ${templateName}`);
      } else validateAttributeValue(registry, attributeDef.typeName, value, field, messages);
    }
  }
  if (messages.length)
    throw PurviewError.atlas(
      404,
      INSTANCE_CRUD_INVALID_PARAMS,
      `Invalid instance creation/updation parameters passed : [${messages.slice(0, 20).join(', ')}]`,
    );
}
