import { TYPES_DEF_KEYS } from '@purview-emulator/contracts';
import type { AtlasTypeDef, AtlasTypesDef, DefinableCategory } from '@purview-emulator/contracts';
import { ATLAS_BASE_MODEL } from './builtin-atlas-model';
import { SCAN_TYPES, SYSTEM_CLASSIFICATION_NAMES, systemClassificationDefs } from './builtin-scan-types';
import { DATABASE_TYPES } from './builtin-database-types';
import { TypeDef } from './type-registry';
import { builtInGuid, normalizeDef } from './typedef-model';

/** Built-in types carry a fixed time and author, so that seeding the same model twice changes nothing. */
export const BUILT_IN_TIME = Date.UTC(2023, 8, 1);
export const BUILT_IN_AUTHOR = 'admin';

function defsOf(typesDef: AtlasTypesDef): { category: DefinableCategory; def: AtlasTypeDef }[] {
  return (Object.entries(TYPES_DEF_KEYS) as [DefinableCategory, keyof AtlasTypesDef][]).flatMap(([category, key]) =>
    (typesDef[key] ?? []).map((def) => ({ category, def })),
  );
}

/** Every built-in type, normalized as stored: Atlas's base model, the scan types, the system classifications. */
export function builtInDefinitions(classificationNames: readonly string[] = SYSTEM_CLASSIFICATION_NAMES): TypeDef[] {
  const all = [
    ...defsOf(ATLAS_BASE_MODEL),
    ...defsOf(SCAN_TYPES),
    ...defsOf(DATABASE_TYPES),
    ...defsOf({ classificationDefs: systemClassificationDefs(classificationNames) }),
  ];
  return all.map(({ category, def }) =>
    normalizeDef(def, category, { guid: builtInGuid(def.name), actor: BUILT_IN_AUTHOR, now: BUILT_IN_TIME }),
  );
}
