import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type PagedList, type ScanRuleset, ScanRulesetBodySchema } from '@purview-emulator/contracts';
import { pagedList } from '../../common/paging';
import { PurviewError } from '../../common/errors';
import { SCANNING_BODY_BOUNDS, assertResourceName, parseBody } from '../../common/validation';
import { RequireRoles } from '../../identity/require-roles.decorator';
import { ACCESS } from '../../identity/access-policy';
import { ScanRulesetsService } from './scan-rulesets.service';

/** `/scan/scanrulesets` (ScanRulesets_*): the account's custom scan rule sets. */
@Controller('scan/scanrulesets')
@RequireRoles(ACCESS.manageScanning)
export class ScanRulesetsController {
  constructor(private readonly rulesets: ScanRulesetsService) {}

  @Get()
  @RequireRoles(ACCESS.readScanning)
  list(@Req() request: FastifyRequest): Promise<PagedList<ScanRuleset>> {
    return pagedList(request, (skip, take) => this.rulesets.list(skip, take));
  }

  @Get(':scanRulesetName')
  @RequireRoles(ACCESS.readScanning)
  get(@Param('scanRulesetName') name: string): Promise<ScanRuleset> {
    return this.rulesets.get(name);
  }

  @Put(':scanRulesetName')
  async createOrReplace(
    @Param('scanRulesetName') name: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScanRuleset> {
    assertResourceName(name, 'scan rule set name');
    const { created, ruleset } = await this.rulesets.createOrReplace(
      name,
      parseBody(ScanRulesetBodySchema, body, 'InvalidRequestBody', SCANNING_BODY_BOUNDS),
    );
    void reply.status(created ? 201 : 200);
    return ruleset;
  }

  @Delete(':scanRulesetName')
  @HttpCode(204)
  async delete(@Param('scanRulesetName') name: string): Promise<void> {
    await this.rulesets.delete(name);
  }
}

/** `/scan/systemScanRulesets` (SystemScanRulesets_*): Purview's rule set per data source type, as the engine applies it. */
@Controller('scan/systemScanRulesets')
@RequireRoles(ACCESS.readScanning)
export class SystemScanRulesetsController {
  constructor(private readonly rulesets: ScanRulesetsService) {}

  @Get()
  list(@Req() request: FastifyRequest): Promise<PagedList<ScanRuleset>> {
    return pagedList(request, async (skip, take) => this.rulesets.listSystem(skip, take));
  }

  @Get('datasources/:dataSourceType')
  get(@Param('dataSourceType') dataSourceType: string): ScanRuleset {
    return this.rulesets.getSystem(dataSourceType);
  }

  @Get('versions')
  versions(
    @Query('dataSourceType') dataSourceType: string | undefined,
    @Req() request: FastifyRequest,
  ): Promise<PagedList<ScanRuleset>> {
    const ruleset = this.rulesets.getSystem(dataSourceType);
    return pagedList(request, async (skip, take) => ({ value: [ruleset].slice(skip, skip + take), count: 1 }));
  }

  @Get('versions/latest')
  latest(@Query('dataSourceType') dataSourceType: string | undefined): ScanRuleset {
    return this.rulesets.getSystem(dataSourceType);
  }

  @Get('versions/:version')
  byVersion(
    @Param('version') version: string,
    @Query('dataSourceType') dataSourceType: string | undefined,
  ): ScanRuleset {
    if (!/^\d{1,9}$/.test(version))
      throw PurviewError.badRequest(
        `Version '${version.slice(0, 20)}' is not a whole number.`,
        'InvalidVersion',
        'version',
      );
    return this.rulesets.getSystem(dataSourceType, Number(version));
  }
}
