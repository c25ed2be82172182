import type { AtlasClassificationInput } from '@purview-emulator/contracts';
import { StoredClassification, storedClassification } from '../entity-model';

/** Lines of `setClassifications`' answer, e.g. `Add:{guid}:{typeName}:qualifiedName -> NAME:(Done)`. */
export type SetClassificationsReport = string[];

export interface SetClassificationsStep {
  op: 'Delete' | 'Update' | 'Add';
  names: string[];
  apply(current: StoredClassification[]): StoredClassification[];
}

/** Atlas's update: given attributes overlay the current ones; given validity periods and flags replace theirs. */
export function updatedClassification(
  current: StoredClassification,
  incoming: AtlasClassificationInput,
): StoredClassification {
  return storedClassification({
    typeName: current.typeName,
    attributes: { ...(current.attributes ?? {}), ...(incoming.attributes ?? {}) },
    propagate: incoming.propagate ?? current.propagate,
    removePropagationsOnEntityDelete:
      incoming.removePropagationsOnEntityDelete ?? current.removePropagationsOnEntityDelete,
    validityPeriods: incoming.validityPeriods ?? current.validityPeriods,
  });
}

/**
 * What `setClassifications` does to one entity, in Atlas's order (ClassificationAssociator.Updater): delete the
 * classifications the header does not list, update those it lists that the entity has, add the others. Incoming
 * classifications of another entity (`entityGuid` not the header's guid: propagated ones) are left out, as Atlas does.
 */
export function planSetClassifications(
  headerGuid: string | null | undefined,
  current: readonly StoredClassification[],
  incoming: readonly AtlasClassificationInput[],
): { steps: SetClassificationsStep[] } {
  const own = incoming.filter((c) => !headerGuid || !c.entityGuid || c.entityGuid === headerGuid);
  const wanted = new Map<string, AtlasClassificationInput>();
  for (const c of own) if (!wanted.has(c.typeName)) wanted.set(c.typeName, c);
  const has = new Set(current.map((c) => c.typeName));

  const deletes = current.filter((c) => !wanted.has(c.typeName)).map((c) => c.typeName);
  const updates = current.filter((c) => wanted.has(c.typeName)).map((c) => c.typeName);
  const adds = [...wanted.values()].filter((c) => !has.has(c.typeName));
  const steps: SetClassificationsStep[] = [];
  if (deletes.length)
    steps.push({ op: 'Delete', names: deletes, apply: (list) => list.filter((c) => !deletes.includes(c.typeName)) });
  if (updates.length) {
    steps.push({
      op: 'Update',
      names: updates,
      apply: (list) =>
        list.map((c) => {
          const next = wanted.get(c.typeName);
          return next ? updatedClassification(c, next) : c;
        }),
    });
  }
  if (adds.length)
    steps.push({
      op: 'Add',
      names: adds.map((c) => c.typeName),
      apply: (list) => [...list, ...adds.map((c) => storedClassification(c))],
    });
  return { steps };
}
