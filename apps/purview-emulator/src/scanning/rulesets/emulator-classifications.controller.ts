import { Controller, Get } from '@nestjs/common';
import { SYSTEM_RULES } from '@purview-emulator/scan-engine';
import { RequireRoles } from '../../identity/require-roles.decorator';
import { ACCESS } from '../../identity/access-policy';

/** One system classification rule as the scan engine applies it. */
export interface EmulatorClassification {
  classificationName: string;
  kind: 'System';
  minimumPercentageMatch: number;
  /** Applied to structured data (columns) only, never to documents. */
  structuredOnly: boolean;
  /** The column name must carry one of the rule's keywords before any value counts. */
  columnNameRequired: boolean;
}

/**
 * `GET /_emulator/classifications` (emulator extension): the system classification rules the scan engine really
 * applies, the list every system scan rule set stands for (the Scanning API has no field for it).
 */
@Controller('_emulator/classifications')
@RequireRoles(ACCESS.readScanning)
export class EmulatorClassificationsController {
  @Get()
  list(): { value: EmulatorClassification[]; count: number } {
    const value = SYSTEM_RULES.map((rule) => ({
      classificationName: rule.classificationName,
      kind: 'System' as const,
      minimumPercentageMatch: rule.minimumPercentageMatch,
      structuredOnly: rule.structuredOnly ?? false,
      columnNameRequired: !!rule.matchColumn,
    }));
    return { value, count: value.length };
  }
}
