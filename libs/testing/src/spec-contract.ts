/**
 * Contract checks of response bodies against the definitions of a public OpenAPI document, written down in a
 * compact notation (see `datamap-2023-09-01.ts`) rather than copied: the property names, types and enum values the
 * document declares. A body passes when every property it has is declared by its definition with a value of the
 * declared type (recursively), and every enum value is one the document lists. `null` passes for any property, as the
 * real services send absent values as `null` in places.
 *
 * Type notation: `string`, `integer`, `number`, `boolean`, `any` (anything), a definition name, `T[]` (array of T),
 * `map<T>` (object whose values are T).
 */
export type TypeExpr = string;

export type Definition =
  { kind: 'object'; properties: Record<string, TypeExpr> } | { kind: 'enum'; values: readonly string[] };

export type Definitions = Record<string, Definition>;

/** Shorthands for writing definitions. */
export const object = (properties: Record<string, TypeExpr>): Definition => ({ kind: 'object', properties });
export const enumOf = (...values: string[]): Definition => ({ kind: 'enum', values });

export interface ContractOptions {
  /**
   * Properties the real service is known to send although the document does not declare them, per definition
   * (each with its source where the caller keeps them); they pass unchecked.
   */
  undeclared?: Record<string, readonly string[]>;
}

/** Every way `value` departs from `type`, as `path: problem` lines (empty when it conforms). */
export function contractViolations(
  definitions: Definitions,
  type: TypeExpr,
  value: unknown,
  options: ContractOptions = {},
  path = '$',
): string[] {
  if (value === null) return [];
  if (type === 'any') return [];
  if (type.endsWith('[]')) {
    if (!Array.isArray(value)) return [`${path}: expected an array (${type}), got ${describe(value)}`];
    return value.flatMap((item, i) =>
      contractViolations(definitions, type.slice(0, -2), item, options, `${path}[${i}]`),
    );
  }
  const map = /^map<(.+)>$/.exec(type);
  if (map) {
    if (!isPlainObject(value)) return [`${path}: expected an object (${type}), got ${describe(value)}`];
    return Object.entries(value).flatMap(([k, v]) =>
      contractViolations(definitions, map[1], v, options, `${path}.${k}`),
    );
  }
  switch (type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${path}: expected a string, got ${describe(value)}`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected a boolean, got ${describe(value)}`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${path}: expected an integer, got ${describe(value)}`];
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? []
        : [`${path}: expected a number, got ${describe(value)}`];
  }
  const definition = definitions[type];
  if (!definition) throw new Error(`No definition named ${type} (at ${path})`);
  if (definition.kind === 'enum') {
    return typeof value === 'string' && definition.values.includes(value)
      ? []
      : [`${path}: ${JSON.stringify(value)} is not a ${type} (${definition.values.join(', ')})`];
  }
  if (!isPlainObject(value)) return [`${path}: expected a ${type} object, got ${describe(value)}`];
  const allowed = new Set(options.undeclared?.[type] ?? []);
  return Object.entries(value).flatMap(([key, v]) => {
    const declared = definition.properties[key];
    if (declared !== undefined) return contractViolations(definitions, declared, v, options, `${path}.${key}`);
    return allowed.has(key) ? [] : [`${path}.${key}: not a property of ${type}`];
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
