import { AtlasTypesDefSchema, TYPES_DEF_KEYS } from '@purview-emulator/contracts';
import type { AtlasTypeDef, DefinableCategory } from '@purview-emulator/contracts';
import { PurviewError } from '../../common/errors';
import { abbreviate } from '../../common/validation';
import { TYPE_ERRORS as E, invalidType, q } from './type-errors';
import { typeNameProblem } from './typedef-validation';

/** One definition of a request body, with the category its array gives it. */
export interface TypeDefInput {
  category: DefinableCategory;
  def: AtlasTypeDef;
  /** `entityDefs[2]`, for messages. */
  path: string;
}

/** Atlas's JSON reader takes `null` as "not given": drop nulls so that optional fields stay optional. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
    return out;
  }
  return value;
}

/**
 * Parses an `AtlasTypesDef` body into its definitions: shape errors are a 400 naming the field, a definition in the
 * wrong array (its `category` says otherwise) is Atlas's TYPE_MATCH_FAILED, and every name is checked.
 */
export function parseTypesDef(body: unknown, options: { checkNames: boolean }): TypeDefInput[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw PurviewError.atlas(
      400,
      E.INVALID_PARAMETERS,
      'invalid parameters: the request body must be an AtlasTypesDef object ({"entityDefs": [...], "classificationDefs": [...], ...}).',
    );
  }
  const parsed = AtlasTypesDefSchema.safeParse(withoutNulls(body));
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 10)
      .map((i) => `${i.path.join('.') || 'body'}: ${abbreviate(i.message, 200)}`);
    throw PurviewError.atlas(400, E.INVALID_PARAMETERS, `invalid parameters: ${problems.join('; ')}`);
  }
  const out: TypeDefInput[] = [];
  for (const [category, key] of Object.entries(TYPES_DEF_KEYS) as [DefinableCategory, keyof typeof parsed.data][]) {
    (parsed.data[key] ?? []).forEach((def, i) => {
      const path = `${key}[${i}]`;
      if (def.category !== undefined && def.category !== category) {
        throw invalidType(
          E.TYPE_MATCH_FAILED,
          `Given type ${q(def.name)} doesn't match ${category} (${path} says category ${def.category})`,
        );
      }
      if (options.checkNames) {
        const problem = typeNameProblem(def.name, category);
        if (problem) throw problem;
      }
      out.push({ category, def, path });
    });
  }
  const seen = new Set<string>();
  for (const { def, path } of out) {
    if (seen.has(def.name))
      throw invalidType(
        E.INVALID_TYPE_DEFINITION,
        `Invalid type definition ${q(def.name)}: the name is given more than once in the request (again at ${path})`,
      );
    seen.add(def.name);
  }
  return out;
}
