import { Controller, Get } from '@nestjs/common';
import type { EmulatorClassification } from '@purview-emulator/contracts';
import { SYSTEM_RULES } from '@purview-emulator/scan-engine';
import { RequireRoles } from '../../identity/require-roles.decorator';
import { ACCESS } from '../../identity/access-policy';

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
