import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { ZodType, ZodTypeDef } from 'zod';
import { FAULT_SCHEMAS, type Fault, type FaultKind, type FaultSpec } from '@purview-emulator/contracts';
import { PurviewError } from '../common/errors';
import { parseBody, SCANNING_BODY_BOUNDS } from '../common/validation';
import { ACCESS } from '../identity/access-policy';
import { RequireRoles } from '../identity/require-roles.decorator';
import { FaultsService } from './faults.service';

/** `/_emulator/faults`: inject, list and clear faults (an admin's calls; none of it is real Purview). */
@Controller('_emulator/faults')
@RequireRoles(ACCESS.controlEmulator)
export class FaultsController {
  constructor(private readonly faults: FaultsService) {}

  @Post()
  @HttpCode(201)
  add(@Body() body: unknown): Promise<Fault> {
    const kind = (body as { kind?: unknown } | null)?.kind;
    if (typeof kind !== 'string' || !(kind in FAULT_SCHEMAS))
      throw PurviewError.badRequest(
        `kind must be one of ${Object.keys(FAULT_SCHEMAS).join(', ')}.`,
        'InvalidRequestBody',
        'kind',
      );
    const schema: ZodType<FaultSpec, ZodTypeDef, unknown> = FAULT_SCHEMAS[kind as FaultKind];
    return this.faults.add(parseBody(schema, body, undefined, SCANNING_BODY_BOUNDS));
  }

  @Get()
  list(): { value: Fault[]; count: number } {
    const value = this.faults.list();
    return { value, count: value.length };
  }

  @Get(':id')
  get(@Param('id') id: string): Fault {
    return this.faults.get(id);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id') id: string): Promise<void> {
    return this.faults.remove(id);
  }

  @Delete()
  @HttpCode(204)
  clear(): Promise<void> {
    return this.faults.clear();
  }
}
