import { classifyColumn, classifyColumns } from './classify';
import { CREDIT_CARD_CLASSIFICATION, EMAIL_CLASSIFICATION, luhnValid, regexRule } from './rules';
import { SYSTEM_RULES } from './system-rules';

const emails = (n: number, domain = 'contoso.com') => Array.from({ length: n }, (_, i) => `user${i}@${domain}`);
const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`);

/** Visa-like numbers with a correct Luhn check digit. */
function cards(n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const body = `4000${String(i).padStart(11, '0')}`;
    const check = [...'0123456789'].find((d) => luhnValid(body + d))!;
    return body + check;
  });
}

describe('classifyColumn', () => {
  it('classifies an e-mail column', () => {
    const result = classifyColumn('email', emails(20));
    expect(result.classifications).toEqual([EMAIL_CLASSIFICATION]);
    expect(result.reason).toBeUndefined();
    expect(result.evaluations.find((e) => e.classification === EMAIL_CLASSIFICATION)).toMatchObject({
      matched: 20,
      distinct: 20,
      percentage: 100,
      applied: true,
    });
  });

  it('classifies a card-number column of valid Luhn numbers', () => {
    expect(classifyColumn('pan', cards(10)).classifications).toEqual([CREDIT_CARD_CLASSIFICATION]);
  });

  it('does not classify numbers whose checksums fail', () => {
    const bad = cards(10).map((c) => c.slice(0, -1) + String((Number(c.at(-1)) + 1) % 10));
    const result = classifyColumn('pan', bad);
    expect(result.classifications).toEqual([]);
    expect(result.reason).toEqual({ skipped: 'no-match', distinct: 10 });
  });

  describe('the distinct-values gate (8)', () => {
    it('does not classify 7 distinct values, however many rows, and says why', () => {
      const values = [...emails(7), ...emails(7), ...emails(7)];
      const result = classifyColumn('email', values);
      expect(result.classifications).toEqual([]);
      expect(result.reason).toEqual({ skipped: 'distinct-values', distinct: 7, required: 8 });
      expect(result.evaluations).toEqual([]); // no data pattern ran
    });

    it('classifies at exactly 8 distinct values', () => {
      expect(classifyColumn('email', emails(8)).classifications).toEqual([EMAIL_CLASSIFICATION]);
    });

    it('ignores empty and blank values, and trims before comparing', () => {
      const values = [...emails(7), '', '   ', null, undefined, ' user0@contoso.com '];
      expect(classifyColumn('email', values).reason).toEqual({ skipped: 'distinct-values', distinct: 7, required: 8 });
    });

    it('can be configured', () => {
      expect(classifyColumn('email', emails(3), { minimumDistinctValues: 3 }).classifications).toEqual([
        EMAIL_CLASSIFICATION,
      ]);
    });
  });

  describe('the 60% threshold over distinct values', () => {
    it('applies at exactly 60% (6 of 10, and 3 of 5 with a lowered distinct gate)', () => {
      expect(classifyColumn('c', [...emails(6), ...words(4)]).classifications).toEqual([EMAIL_CLASSIFICATION]);
      expect(classifyColumn('c', [...emails(3), ...words(2)], { minimumDistinctValues: 5 }).classifications).toEqual([
        EMAIL_CLASSIFICATION,
      ]);
    });

    it('does not apply at 59% (59 of 100) and reports the best attempt', () => {
      const result = classifyColumn('c', [...emails(59), ...words(41)]);
      expect(result.classifications).toEqual([]);
      expect(result.reason).toEqual({
        skipped: 'below-threshold',
        best: {
          rule: EMAIL_CLASSIFICATION,
          classification: EMAIL_CLASSIFICATION,
          matched: 59,
          distinct: 100,
          percentage: 59,
          required: 60,
        },
      });
    });

    it('counts distinct values, not rows', () => {
      // 50 rows of one address and 9 distinct words: 1 of 10 distinct values match.
      const values = [...Array(50).fill('same@contoso.com'), ...words(9)];
      expect(classifyColumn('c', values).reason).toMatchObject({
        skipped: 'below-threshold',
        best: { matched: 1, distinct: 10, percentage: 10 },
      });
    });
  });

  describe('custom rules', () => {
    const employeeId = regexRule({
      name: 'EmployeeId',
      classificationName: 'contoso.hr.employee_id',
      dataPatterns: ['^E\\d{4}$'],
      minimumPercentageMatch: 90,
    });
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `E${String(i).padStart(4, '0')}`);

    it('honour their own threshold', () => {
      const rules = [employeeId];
      expect(classifyColumn('id', [...ids(9), 'x'], { rules }).classifications).toEqual(['contoso.hr.employee_id']); // 90%
      expect(classifyColumn('id', [...ids(8), 'x', 'y'], { rules }).classifications).toEqual([]); // 80%
    });

    it('AND the column pattern with the data pattern', () => {
      const rule = regexRule({
        name: 'r',
        classificationName: 'contoso.id',
        dataPatterns: ['^E\\d{4}$'],
        columnPatterns: ['^emp'],
      });
      expect(classifyColumn('employee', ids(10), { rules: [rule] }).classifications).toEqual(['contoso.id']);
      const other = classifyColumn('order', ids(10), { rules: [rule] });
      expect(other.classifications).toEqual([]);
      expect(other.reason).toEqual({ skipped: 'column-pattern' });
      expect(other.evaluations[0]).toMatchObject({ columnMatched: false, applied: false });
    });

    it('apply on the column name alone when they have no data pattern, whatever the values', () => {
      const rule = regexRule({ name: 'r', classificationName: 'contoso.secret', columnPatterns: ['^secret$'] });
      expect(classifyColumn('secret', ['1'], { rules: [rule] }).classifications).toEqual(['contoso.secret']);
    });

    it('add to the system rules, deduplicating classifications', () => {
      const dup = regexRule({ name: 'also-email', classificationName: EMAIL_CLASSIFICATION, dataPatterns: ['@'] });
      const result = classifyColumn('email', emails(10), {
        rules: [dup, ...[regexRule({ name: 'x', classificationName: 'contoso.x', dataPatterns: ['contoso'] })]],
      });
      expect(result.classifications).toEqual([EMAIL_CLASSIFICATION, 'contoso.x']);
    });

    it('explains an empty rule set', () => {
      expect(classifyColumn('c', emails(10), { rules: [] }).reason).toEqual({ skipped: 'no-rules' });
    });
  });
});

describe('rule sets', () => {
  const employeeId = regexRule({
    name: 'EmployeeId',
    classificationName: 'contoso.hr.employee_id',
    dataPatterns: ['^E\\d{4}$'],
  });
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `E${String(i).padStart(4, '0')}`);

  it('default to every system rule', () => {
    expect(classifyColumn('email', emails(10), { ruleSet: {} }).classifications).toEqual([EMAIL_CLASSIFICATION]);
    expect(classifyColumn('email', emails(10)).classifications).toEqual([EMAIL_CLASSIFICATION]);
  });

  it('leave out the excluded system classifications', () => {
    const result = classifyColumn('email', emails(10), {
      ruleSet: { excludedSystemClassifications: [EMAIL_CLASSIFICATION] },
    });
    expect(result.classifications).toEqual([]);
    expect(result.evaluations.map((e) => e.classification)).not.toContain(EMAIL_CLASSIFICATION);
  });

  it('add their custom rules to the system rules', () => {
    const ruleSet = { customRules: [employeeId] };
    expect(classifyColumn('id', ids(10), { ruleSet }).classifications).toEqual(['contoso.hr.employee_id']);
    expect(classifyColumn('email', emails(10), { ruleSet }).classifications).toEqual([EMAIL_CLASSIFICATION]);
  });

  it('can replace the system rules', () => {
    const result = classifyColumn('email', emails(10), { ruleSet: { systemRules: [], customRules: [employeeId] } });
    expect(result.classifications).toEqual([]);
    expect(result.reason).toEqual({ skipped: 'no-match', distinct: 10 });
    expect(result.evaluations.map((e) => e.rule)).toEqual(['EmployeeId']);
  });

  it('skip disabled rules', () => {
    const disabled = regexRule({
      name: 'off',
      classificationName: 'contoso.off',
      dataPatterns: ['^E'],
      ruleStatus: 'Disabled',
    });
    expect(classifyColumn('id', ids(10), { ruleSet: { customRules: [disabled] } }).classifications).toEqual([]);
  });

  it('report the classification of a rule tagged Delete as removed instead of applying it', () => {
    const deleted = regexRule({
      name: 'old',
      classificationName: 'contoso.old',
      dataPatterns: ['^E'],
      classificationAction: 'Delete',
    });
    const result = classifyColumn('id', ids(10), { ruleSet: { customRules: [deleted] } });
    expect(result.classifications).toEqual([]);
    expect(result.removed).toEqual(['contoso.old']);
    expect(classifyColumn('id', ['x', ...words(9)], { ruleSet: { customRules: [deleted] } }).removed).toBeUndefined();
  });

  it('keep structured-only and custom rules off unstructured data (documents)', () => {
    expect(SYSTEM_RULES.find((r) => r.classificationName === EMAIL_CLASSIFICATION)!.structuredOnly).toBe(true);
    expect(classifyColumn('text', emails(10), { structured: false }).classifications).toEqual([]);
    expect(classifyColumn('text', cards(10), { structured: false }).classifications).toEqual([
      CREDIT_CARD_CLASSIFICATION,
    ]);
    expect(
      classifyColumn('id', ids(10), { structured: false, ruleSet: { customRules: [employeeId] } }).classifications,
    ).toEqual([]);
  });
});

describe('classification details', () => {
  it('give rule, column, confidence, matching rows and matching distinct values, as Purview keeps them', () => {
    // 8 distinct addresses, one of them on 3 rows, and 2 words: 8 of 10 distinct values, 10 of 12 rows.
    const values = [...emails(8), 'user0@contoso.com', 'user0@contoso.com', 'alpha', 'beta'];
    expect(classifyColumn('email', values).details).toEqual([
      {
        classification: EMAIL_CLASSIFICATION,
        rule: EMAIL_CLASSIFICATION,
        column: 'email',
        confidence: 80,
        count: 10,
        distinctCount: 8,
      },
    ]);
  });

  it('give a column-name-only rule full confidence and no counts', () => {
    const rule = regexRule({ name: 'r', classificationName: 'contoso.secret', columnPatterns: ['^secret$'] });
    expect(classifyColumn('secret', ['1'], { rules: [rule] }).details).toEqual([
      { classification: 'contoso.secret', rule: 'r', column: 'secret', confidence: 100, count: 0, distinctCount: 0 },
    ]);
  });

  it('are empty when nothing applies', () => {
    expect(classifyColumn('c', words(10)).details).toEqual([]);
  });
});

describe('classifyColumns', () => {
  it('classifies each column of a sample', () => {
    const rows = emails(10).map((e, i) => [String(i), e, cards(10)[i], 'Gold']);
    const results = classifyColumns(['id', 'email', 'card', 'tier'], rows);
    expect(results.map((r) => [r.column, r.classifications])).toEqual([
      ['id', []],
      ['email', [EMAIL_CLASSIFICATION]],
      ['card', [CREDIT_CARD_CLASSIFICATION]],
      ['tier', []],
    ]);
    expect(results[0].reason).toEqual({ skipped: 'no-match', distinct: 10 });
    expect(results[3].reason).toEqual({ skipped: 'distinct-values', distinct: 1, required: 8 });
  });
});
