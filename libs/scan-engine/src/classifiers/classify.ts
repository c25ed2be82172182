import {
  type ClassificationRule,
  type ClassificationRuleSet,
  MINIMUM_DISTINCT_VALUES,
  resolveRuleSet,
  type ValueContext,
} from './rules';
import { SYSTEM_RULES } from './system-rules';

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

/**
 * A classification applied to a column, with what Purview keeps beside it (the `ClassificationDetails` of its
 * data-sensitivity logs: name, confidence, count, unique count) and the rule and column it came from.
 */
export interface ClassificationDetail {
  classification: string;
  rule: string;
  column: string;
  /** Percentage (0-100, whole) of the column's distinct values that matched; 100 for a column-name-only rule. */
  confidence: number;
  /** Sampled rows whose value matched. */
  count: number;
  /** Distinct values that matched. */
  distinctCount: number;
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
  /** One per applied classification (the first rule that applied it). */
  details: ClassificationDetail[];
  /**
   * Custom rules, and system rules that matched at least one value (the others are left out: with forty system
   * rules, a list of zeros would drown what matters; a system rule that matched none of the values it needed to
   * reach its threshold is not run on the rest).
   */
  evaluations: RuleEvaluation[];
  /** Classifications of rules tagged `Delete` that would have applied here: the caller removes them from the asset. */
  removed?: string[];
  /** Present when `classifications` is empty. */
  reason?: ColumnSkipReason;
}

export interface ClassifyOptions {
  /** The exact rules to apply (no system rules unless listed). Takes precedence over `ruleSet`. */
  rules?: readonly ClassificationRule[];
  /** A scan rule set: system rules less exclusions, plus custom rules. Default: the system rules. */
  ruleSet?: ClassificationRuleSet;
  minimumDistinctValues?: number;
  /**
   * false for documents (unstructured data): rules Purview keeps to structured data and custom rules do not run
   * there. Default true: columns are structured data.
   */
  structured?: boolean;
}

/** The rules the options select, disabled ones and (for unstructured data) structured-only and custom ones left out. */
export function selectRules(options: ClassifyOptions = {}): ClassificationRule[] {
  const rules = options.rules ?? resolveRuleSet(options.ruleSet ?? {}, SYSTEM_RULES);
  const structured = options.structured ?? true;
  return rules.filter((r) => r.ruleStatus !== 'Disabled' && (structured || (!r.structuredOnly && r.kind === 'System')));
}

/**
 * Applies rules to one column's sampled values with Purview's gates: no data pattern runs unless the column has at
 * least 8 distinct non-empty values, and a rule applies when at least its threshold (60% for system rules) of the
 * distinct values match. Rules with only a column pattern apply on the name alone. Per rule, the column tests
 * (pattern, keyword hint) run once and before any value test.
 */
export function classifyColumn(
  column: string,
  values: Iterable<string | null | undefined>,
  options: ClassifyOptions = {},
): ColumnClassification {
  return classifyWith(column, values, selectRules(options), options.minimumDistinctValues ?? MINIMUM_DISTINCT_VALUES);
}

// Shared, not made per rule and column: value tests only read them.
const HINTED: ValueContext = Object.freeze({ columnHinted: true });
const NOT_HINTED: ValueContext = Object.freeze({ columnHinted: false });

function classifyWith(
  column: string,
  values: Iterable<string | null | undefined>,
  rules: readonly ClassificationRule[],
  required: number,
): ColumnClassification {
  // Distinct values and the rows holding each, as plain arrays: the value loop below runs for every rule.
  const indexOf = new Map<string, number>();
  const distinctValues: string[] = [];
  const rowCounts: number[] = [];
  for (const raw of values) {
    const value = raw?.trim();
    if (!value) continue;
    const index = indexOf.get(value);
    if (index === undefined) {
      indexOf.set(value, distinctValues.length);
      distinctValues.push(value);
      rowCounts.push(1);
    } else rowCounts[index]++;
  }
  const distinct = distinctValues.length;
  const classifications: string[] = [];
  const details: ClassificationDetail[] = [];
  const evaluations: RuleEvaluation[] = [];
  const removed = new Set<string>();
  let best: RuleEvaluation | undefined;
  let anyRan = false;

  const apply = (
    rule: ClassificationRule,
    detail: Omit<ClassificationDetail, 'classification' | 'rule' | 'column'>,
  ) => {
    if (rule.classificationAction === 'Delete') return void removed.add(rule.classificationName);
    if (classifications.includes(rule.classificationName)) return;
    classifications.push(rule.classificationName);
    details.push({ classification: rule.classificationName, rule: rule.name, column, ...detail });
  };
  const evaluation = (
    rule: ClassificationRule,
    columnMatched: boolean,
    matched: number,
    applied: boolean,
  ): RuleEvaluation => ({
    rule: rule.name,
    classification: rule.classificationName,
    columnMatched,
    matched,
    distinct,
    percentage: distinct && matched ? Math.round((matched * 10000) / distinct) / 100 : 0,
    required: rule.minimumPercentageMatch,
    applied,
  });

  for (const rule of rules) {
    const columnMatched = rule.matchColumn ? rule.matchColumn(column) : true;
    if (!rule.matchValue) {
      evaluations.push(evaluation(rule, columnMatched, 0, columnMatched));
      anyRan ||= columnMatched;
      if (columnMatched) apply(rule, { confidence: 100, count: 0, distinctCount: 0 });
      continue;
    }
    if (distinct < required) continue; // the distinct-values gate comes before any data pattern
    if (!columnMatched) {
      if (rule.kind === 'Custom') evaluations.push(evaluation(rule, false, 0, false));
      continue;
    }
    anyRan = true;
    const context = rule.columnHint?.(column) ? HINTED : NOT_HINTED;
    let matched = 0;
    let count = 0;
    // A system rule that has matched nothing by the time its threshold is out of reach stops there: most rules
    // match nothing in most columns, and this halves their cost. (Custom rules always count in full.)
    const giveUpAfter =
      rule.kind === 'System' ? distinct - Math.ceil((rule.minimumPercentageMatch * distinct) / 100) : distinct;
    for (let i = 0; i < distinct; i++) {
      if (rule.matchValue(distinctValues[i], context)) {
        matched++;
        count += rowCounts[i];
      } else if (matched === 0 && i >= giveUpAfter) break;
    }
    // Integer comparison: 60% of 5 is exactly 3, whatever floating point says.
    const applied = matched * 100 >= rule.minimumPercentageMatch * distinct;
    if (matched === 0 && rule.kind === 'System') continue; // nothing to report, and `best` stays a rule that matched
    const result = evaluation(rule, true, matched, applied);
    evaluations.push(result);
    if (!best || result.percentage > best.percentage) best = result;
    if (applied) apply(rule, { confidence: Math.floor((matched * 100) / distinct), count, distinctCount: matched });
  }

  const result: ColumnClassification = { column, distinct, classifications, details, evaluations };
  if (removed.size) result.removed = [...removed].filter((c) => !classifications.includes(c));
  if (!result.removed?.length) delete result.removed;
  if (classifications.length === 0) result.reason = skipReason(rules, distinct, required, anyRan, best);
  return result;
}

function skipReason(
  rules: readonly ClassificationRule[],
  distinct: number,
  required: number,
  anyRan: boolean,
  best: RuleEvaluation | undefined,
): ColumnSkipReason {
  if (rules.length === 0) return { skipped: 'no-rules' };
  if (distinct < required && rules.some((r) => r.matchValue)) return { skipped: 'distinct-values', distinct, required };
  if (!anyRan) return { skipped: 'column-pattern' };
  if (!best || best.matched === 0) return { skipped: 'no-match', distinct };
  const { rule, classification, matched, percentage } = best;
  return {
    skipped: 'below-threshold',
    best: { rule, classification, matched, distinct: best.distinct, percentage, required: best.required },
  };
}

/** Classifies every column of a sample; `rows` are arrays aligned with `columns`. The rule set is resolved once. */
export function classifyColumns(
  columns: readonly string[],
  rows: readonly (readonly string[])[],
  options: ClassifyOptions = {},
): ColumnClassification[] {
  const rules = selectRules(options);
  const required = options.minimumDistinctValues ?? MINIMUM_DISTINCT_VALUES;
  return columns.map((column, i) =>
    classifyWith(
      column,
      rows.map((row) => row[i]),
      rules,
      required,
    ),
  );
}
