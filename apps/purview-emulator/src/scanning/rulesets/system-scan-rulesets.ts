import {
  DATA_SOURCE_KINDS,
  FILE_SCANNING_KINDS,
  type FileExtension,
  type ScanRuleset,
  TEMPORARY_RESOURCE_FILTERS,
} from '@purview-emulator/contracts';
import { FILE_FORMATS, fileExtensionNameOf, SYSTEM_RULES } from '@purview-emulator/scan-engine';

/**
 * Purview's system scan rule sets, one per data source type, as the scan engine really applies them: the file types
 * it reads (`scanningRule.fileExtensions`, for the file-based kinds) and every system classification rule it has.
 * The emulator has one version of each; it changes only with the engine.
 */
export const SYSTEM_RULESET_VERSION = 1;
/** When the emulator's system rule sets were defined (they are not created by anyone). */
const DEFINED_AT = '2023-09-01T00:00:00.0000000Z';

/** The engine's file types in the scanning API's spelling. */
export const ENGINE_FILE_EXTENSIONS: FileExtension[] = FILE_FORMATS.map((f) => fileExtensionNameOf(f) as FileExtension);

/** The classifications the engine's system rules apply, in rule order. */
export const SYSTEM_CLASSIFICATION_NAMES: readonly string[] = [
  ...new Set(SYSTEM_RULES.map((r) => r.classificationName)),
];

export function isFileScanningKind(kind: string): boolean {
  return (FILE_SCANNING_KINDS as readonly string[]).includes(kind);
}

/** The data source type a name means, case-insensitively (undefined when none). */
export function dataSourceTypeOf(name: string): string | undefined {
  const lower = name.toLowerCase();
  return DATA_SOURCE_KINDS.find((k) => k.toLowerCase() === lower);
}

export function systemScanRuleset(kind: string): ScanRuleset {
  const files = isFileScanningKind(kind);
  return {
    id: `systemscanrulesets/${kind}`,
    name: kind,
    kind,
    scanRulesetType: 'System',
    status: 'Enabled',
    version: SYSTEM_RULESET_VERSION,
    properties: {
      collection: null,
      createdAt: DEFINED_AT,
      description: files
        ? 'Microsoft default scan rule set that includes all supported file types for schema extraction and classification, and all supported system classification rules'
        : 'Microsoft default scan rule set that includes all supported system classification rules',
      excludedSystemClassifications: [],
      includedCustomClassificationRuleNames: [],
      lastModifiedAt: DEFINED_AT,
      ...(files ? { scanningRule: { customFileExtensions: null, fileExtensions: [...ENGINE_FILE_EXTENSIONS] } } : {}),
      temporaryResourceFilters: files ? TEMPORARY_RESOURCE_FILTERS.map((f) => ({ ...f })) : null,
    },
  };
}

export const SYSTEM_SCAN_RULESETS: readonly ScanRuleset[] = DATA_SOURCE_KINDS.map(systemScanRuleset);
