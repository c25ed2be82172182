import { LabelsBodySchema } from '@purview-emulator/contracts';
import { PurviewError } from '../../common/errors';
import { TYPE_ERRORS, q } from '../types/type-errors';

/** Apache Atlas's label error codes (`AtlasErrorCode`). */
export const LABEL_ERRORS = {
  INVALID_LABEL_LENGTH: 'ATLAS-400-00-08F',
  INVALID_LABEL_CHARACTERS: 'ATLAS-400-00-090',
} as const;

/** Atlas's `atlas.entity.label.max.length` default. */
export const LABEL_MAX_LENGTH = 50;

/**
 * What Atlas accepts in a label (EntityGraphMapper's label pattern): ASCII letters and digits, '_' and '-', and
 * the CJK ranges it lists. Lengths count UTF-16 code units, as Java's String.length() does.
 */
const LABEL_PATTERN = /^[\u2E80-\u2FD5\u3190-\u319F\u3400-\u4DBF\u4E00-\u9FCC\uF900-\uFAADa-zA-Z0-9_-]*$/;

/** Refuses the first label Atlas would refuse: too long (ATLAS-400-00-08F), then bad characters (ATLAS-400-00-090). */
export function validateLabels(labels: Iterable<string>): void {
  for (const label of labels) {
    if (label.length > LABEL_MAX_LENGTH) {
      throw PurviewError.atlas(
        400,
        LABEL_ERRORS.INVALID_LABEL_LENGTH,
        `Invalid label: ${q(label)}, label size should not be greater than ${LABEL_MAX_LENGTH}`,
      );
    }
    if (!LABEL_PATTERN.test(label)) {
      throw PurviewError.atlas(
        400,
        LABEL_ERRORS.INVALID_LABEL_CHARACTERS,
        `Invalid label: ${q(label)}, label should contain alphanumeric characters, '_' or '-'`,
      );
    }
  }
}

/**
 * Labels as the set Atlas keeps, in first-seen order. An empty string names no label (Atlas's pattern would let
 * it through, then store an empty entry between delimiters), so it is dropped.
 */
export function labelSet(labels: Iterable<string>): string[] {
  return [...new Set([...labels].filter((l) => l !== ''))];
}

/** A label operation's body: a JSON array of strings; absent or null means no labels. */
export function parseLabels(body: unknown): string[] {
  if (body === undefined || body === null) return [];
  const parsed = LabelsBodySchema.safeParse(body);
  if (!parsed.success)
    throw PurviewError.atlas(
      400,
      TYPE_ERRORS.INVALID_PARAMETERS,
      `invalid parameters: ${parsed.error.issues[0].message}`,
    );
  return labelSet(parsed.data);
}
