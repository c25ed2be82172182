import { type ClassificationRule, MINIMUM_DISTINCT_VALUES, SYSTEM_RULES } from './rules';

/** How one rule fared on one column. */
export interface RuleEvaluation {
  rule: string;
  classification: string;
  /** false when the rule's column pattern rejected the column name (the data test then did not run). */
  columnMatched: boolean;
  /** Distinct values that matched, out of `distinct`. */
  matched: number;
  distinct: number;
  /** matched / distinct, in percent (0 when no data test ran). */
  percentage: number;
  required: number;
  applied: boolean;
}

/** Why a column got no classification, in a form callers can explain. */
export type ColumnSkipReason =
  | { skipped: 'distinct-values'; distinct: number; required: number }
  | { skipped: 'no-rules' }
  | { skipped: 'no-match'; distinct: number }
  /** Every rule's column pattern rejected the column name. */
  | { skipped: 'column-pattern' }
  | {
      skipped: 'below-threshold';
      best: {
        rule: string;
        classification: string;
        matched: number;
        distinct: number;
        percentage: number;
        required: number;
      };
    };

export interface ColumnClassification {
  column: string;
  /** Distinct non-empty (trimmed) values in the sample. */
  distinct: number;
  /** Classification typeNames applied, deduplicated, in rule order. */
  classifications: string[];
  evaluations: RuleEvaluation[];
  /** Present when `classifications` is empty. */
  reason?: ColumnSkipReason;
}

export interface ClassifyOptions {
  rules?: readonly ClassificationRule[];
  minimumDistinctValues?: number;
}

/**
 * Applies rules to one column's sampled values with Purview's gates: no data pattern runs unless the column has at
 * least 8 distinct non-empty values, and a rule applies when at least its threshold (60% for system rules) of the
 * distinct values match. Rules with only a column pattern apply on the name alone.
 */
export function classifyColumn(
  column: string,
  values: Iterable<string | null | undefined>,
  options: ClassifyOptions = {},
): ColumnClassification {
  const rules = options.rules ?? SYSTEM_RULES;
  const required = options.minimumDistinctValues ?? MINIMUM_DISTINCT_VALUES;
  const distinctValues = new Set<string>();
  for (const raw of values) {
    const value = raw?.trim();
    if (value) distinctValues.add(value);
  }
  const distinct = distinctValues.size;
  const classifications: string[] = [];
  const evaluations: RuleEvaluation[] = [];
  const apply = (rule: ClassificationRule) => {
    if (!classifications.includes(rule.classificationName)) classifications.push(rule.classificationName);
  };

  for (const rule of rules) {
    const columnMatched = rule.matchColumn ? rule.matchColumn(column) : true;
    const base = {
      rule: rule.name,
      classification: rule.classificationName,
      columnMatched,
      distinct,
      required: rule.minimumPercentageMatch,
    };
    if (!rule.matchValue) {
      evaluations.push({ ...base, matched: 0, percentage: 0, applied: columnMatched });
      if (columnMatched) apply(rule);
      continue;
    }
    if (distinct < required) continue; // the distinct-values gate comes before any data pattern
    if (!columnMatched) {
      evaluations.push({ ...base, matched: 0, percentage: 0, applied: false });
      continue;
    }
    let matched = 0;
    for (const value of distinctValues) if (rule.matchValue(value)) matched++;
    // Integer comparison: 60% of 5 is exactly 3, whatever floating point says.
    const applied = matched * 100 >= rule.minimumPercentageMatch * distinct;
    evaluations.push({ ...base, matched, percentage: Math.round((matched * 10000) / distinct) / 100, applied });
    if (applied) apply(rule);
  }

  const result: ColumnClassification = { column, distinct, classifications, evaluations };
  if (classifications.length === 0) result.reason = skipReason(rules, distinct, required, evaluations);
  return result;
}

function skipReason(
  rules: readonly ClassificationRule[],
  distinct: number,
  required: number,
  evaluations: RuleEvaluation[],
): ColumnSkipReason {
  if (rules.length === 0) return { skipped: 'no-rules' };
  if (distinct < required && rules.some((r) => r.matchValue)) return { skipped: 'distinct-values', distinct, required };
  const ran = evaluations.filter((e) => e.columnMatched);
  if (ran.length === 0) return { skipped: 'column-pattern' };
  const best = ran.reduce((a, b) => (b.percentage > a.percentage ? b : a));
  if (best.matched === 0) return { skipped: 'no-match', distinct };
  const { rule, classification, matched, percentage } = best;
  return {
    skipped: 'below-threshold',
    best: { rule, classification, matched, distinct: best.distinct, percentage, required: best.required },
  };
}

/** Classifies every column of a sample; `rows` are arrays aligned with `columns`. */
export function classifyColumns(
  columns: readonly string[],
  rows: readonly (readonly string[])[],
  options: ClassifyOptions = {},
): ColumnClassification[] {
  return columns.map((column, i) =>
    classifyColumn(
      column,
      rows.map((row) => row[i]),
      options,
    ),
  );
}
