import { PurviewError } from '../../../common/errors';
import { builtInDefinitions } from '../../types/builtin-types';
import { TypeRegistry } from '../../types/type-registry';
import { normalizeDef } from '../../types/typedef-model';

/** Fixtures of the business metadata unit tests: a registry with business metadata defs, and a failure catcher. */
const meta = (guid: string) => ({ guid, actor: 't', now: 1 });
const on = (types: string[], maxStrLength?: number): Record<string, string> => ({
  applicableEntityTypes: JSON.stringify(types),
  ...(maxStrLength === undefined ? {} : { maxStrLength: String(maxStrLength) }),
});

export const registry = new TypeRegistry([
  ...builtInDefinitions(),
  normalizeDef({ name: 'tier', elementDefs: [{ value: 'Hot' }, { value: 'Cool' }] }, 'ENUM', meta('e1')),
  normalizeDef(
    {
      name: 'contoso_table',
      superTypes: ['DataSet'],
      attributeDefs: [{ name: 'code', typeName: 'string', isOptional: true, isUnique: true }],
    },
    'ENTITY',
    meta('t1'),
  ),
  normalizeDef({ name: 'contoso_view', superTypes: ['contoso_table'] }, 'ENTITY', meta('t2')),
  normalizeDef(
    {
      name: 'ops',
      attributeDefs: [
        { name: 'team', typeName: 'string', isOptional: true, options: on(['DataSet'], 5) },
        { name: 'limit', typeName: 'long', isOptional: true, options: on(['contoso_table']) },
        { name: 'ratio', typeName: 'double', isOptional: true, options: on(['DataSet']) },
        { name: 'since', typeName: 'date', isOptional: true, options: on(['DataSet']) },
        { name: 'tier', typeName: 'tier', isOptional: true, options: on(['DataSet']) },
        { name: 'codes', typeName: 'array<int>', isOptional: true, options: on(['DataSet']) },
        { name: 'owner', typeName: 'string', isOptional: false, options: on(['contoso_view'], 50) },
        { name: 'nowhere', typeName: 'string', isOptional: true, options: { maxStrLength: '5' } },
      ],
    },
    'BUSINESS_METADATA',
    meta('b1'),
  ),
]);

export function failure(work: () => unknown): { code?: string; message: string } | undefined {
  try {
    work();
    return undefined;
  } catch (error) {
    return { code: (error as PurviewError).atlasCode, message: (error as Error).message };
  }
}
