import type { ScanJobFilter, ScanJobRuleset } from '@purview-emulator/contracts';
import { type ClassificationRuleSet, regexRule } from '../classifiers';
import { type DelimitedFormat, fileExtensionNameOf, fileFormatOf, type FormatInfo } from '../readers';

/**
 * What a scan rule set means to the engine: which files are read for schema and classification (`fileExtensions`,
 * `customFileExtensions`) and which classification rules apply (system rules less `excludedSystemClassifications`,
 * plus the custom rules); and what a scan filter means (`includeUriPrefixes` / `excludeUriPrefixes` on blob URLs).
 */

/** The classification rules of a resolved rule set: the system rules less the excluded ones, plus its custom rules. */
export function classificationRuleSetOf(ruleset: ScanJobRuleset): ClassificationRuleSet {
  return {
    excludedSystemClassifications: ruleset.excludedSystemClassifications,
    customRules: ruleset.customRules.map((rule) =>
      regexRule({
        name: rule.name,
        classificationName: rule.classificationName,
        dataPatterns: rule.dataPatterns,
        columnPatterns: rule.columnPatterns,
        minimumPercentageMatch: rule.minimumPercentageMatch,
        kind: 'Custom',
        ruleStatus: rule.ruleStatus,
        classificationAction: rule.classificationAction,
      }),
    ),
  };
}

const DELIMITERS: Record<string, { format: DelimitedFormat; delimiter: string }> = {
  CSV: { format: 'CSV', delimiter: ',' },
  TSV: { format: 'TSV', delimiter: '\t' },
  PSV: { format: 'PSV', delimiter: '|' },
  SSV: { format: 'SSV', delimiter: ';' },
};

/** A file's format under a rule set, or why the rule set leaves it unread. */
export type FileTypeDecision = { format: FormatInfo } | { skipped: string } | undefined;

/** Decides, per blob name, how a rule set's file types read it. */
export class FileTypeSelection {
  private readonly allowed: Set<string> | null;
  private readonly custom: Map<string, FormatInfo | { skipped: string }>;

  constructor(ruleset?: Pick<ScanJobRuleset, 'fileExtensions' | 'customFileExtensions'>) {
    this.allowed = ruleset?.fileExtensions ? new Set(ruleset.fileExtensions.map((e) => e.toUpperCase())) : null;
    this.custom = new Map();
    for (const ext of ruleset?.customFileExtensions ?? []) {
      const key = ext.fileExtension.replace(/^\./, '').toLowerCase();
      this.custom.set(key, customFormat(ext.builtInType, ext.customDelimiter, ext.fileExtension));
    }
  }

  /** undefined: a file the engine extracts nothing from whatever the rule set says (basic metadata only). */
  decide(blobName: string): FileTypeDecision {
    const extension = /\.([A-Za-z0-9_-]+)$/.exec(blobName)?.[1].toLowerCase();
    const custom = extension ? this.custom.get(extension) : undefined;
    if (custom) return 'skipped' in custom ? custom : { format: custom };
    const format = fileFormatOf(blobName);
    if (!format) return undefined;
    const name = fileExtensionNameOf(format.format);
    if (this.allowed && !this.allowed.has(name.toUpperCase()))
      return { skipped: `File type ${name} is not selected in the scan rule set: basic metadata only` };
    return { format };
  }
}

function customFormat(
  builtInType: string | null,
  delimiter: string | null,
  extension: string,
): FormatInfo | { skipped: string } {
  if (builtInType) {
    const type = builtInType.toUpperCase();
    const delimited = DELIMITERS[type];
    if (delimited) return { format: delimited.format, delimiter: delimiter || delimited.delimiter };
    const known = fileFormatOf(`x.${type === 'GZ' ? 'gz' : type.toLowerCase()}`);
    if (known) return known;
    return { skipped: `Custom file type ${extension} reads as ${builtInType}, which the engine does not read` };
  }
  if (delimiter) return { format: 'CSV', delimiter };
  return { skipped: `Custom file type ${extension} names neither a built-in type nor a delimiter` };
}

/** A scan filter over blob URLs (the assets' qualifiedNames). Empty include list: everything is included. */
export class UriFilter {
  private readonly include: readonly string[];
  private readonly exclude: readonly string[];

  constructor(filter?: ScanJobFilter) {
    this.include = (filter?.includeUriPrefixes ?? []).map(normalise);
    this.exclude = (filter?.excludeUriPrefixes ?? []).map(normalise);
  }

  get active(): boolean {
    return this.include.length > 0 || this.exclude.length > 0;
  }

  /** Is this blob (its URL) scanned? */
  includes(uri: string): boolean {
    const target = normalise(uri);
    if (this.exclude.some((p) => target.startsWith(p))) return false;
    return this.include.length === 0 || this.include.some((p) => target.startsWith(p));
  }

  /** Can anything in this container be scanned? (An excluded container is not listed at all.) */
  mayInclude(containerUri: string): boolean {
    const folder = `${normalise(containerUri)}/`;
    if (this.exclude.some((p) => folder.startsWith(p))) return false;
    return this.include.length === 0 || this.include.some((p) => folder.startsWith(p) || p.startsWith(folder));
  }
}

/** Scheme and host compare case-insensitively; the path as it is. */
function normalise(uri: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^/]+)(.*)$/i.exec(uri.trim());
  return match ? match[1].toLowerCase() + match[2] : uri.trim();
}
