import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  type ClassificationRule,
  ClassificationRuleBodySchema,
  type OperationResponse,
  type PagedList,
} from '@purview-emulator/contracts';
import { pagedList } from '../../common/paging';
import { PurviewError } from '../../common/errors';
import { SCANNING_BODY_BOUNDS, assertResourceName, parseBody } from '../../common/validation';
import { RequireRoles } from '../../identity/require-roles.decorator';
import { ACCESS } from '../../identity/access-policy';
import { ClassificationRulesService } from './classification-rules.service';

/**
 * `/scan/classificationrules` (ClassificationRules_*). `POST …/versions/{v}:tag` (and the older `/versions/{v}/:tag`)
 * arrive as `…/versions/{v}/-/tag` (common/url-rewrite.ts).
 */
@Controller('scan/classificationrules')
@RequireRoles(ACCESS.manageClassificationRules)
export class ClassificationRulesController {
  constructor(private readonly rules: ClassificationRulesService) {}

  @Get()
  @RequireRoles(ACCESS.readScanning)
  list(@Req() request: FastifyRequest): Promise<PagedList<ClassificationRule>> {
    return pagedList(request, (skip, take) => this.rules.list(skip, take));
  }

  @Get(':classificationRuleName')
  @RequireRoles(ACCESS.readScanning)
  get(@Param('classificationRuleName') name: string): Promise<ClassificationRule> {
    return this.rules.get(name);
  }

  @Get(':classificationRuleName/versions')
  @RequireRoles(ACCESS.readScanning)
  versions(
    @Param('classificationRuleName') name: string,
    @Req() request: FastifyRequest,
  ): Promise<PagedList<ClassificationRule>> {
    return pagedList(request, (skip, take) => this.rules.versions(name, skip, take));
  }

  @Put(':classificationRuleName')
  async createOrReplace(
    @Param('classificationRuleName') name: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ClassificationRule> {
    assertResourceName(name, 'classification rule name');
    const { created, rule } = await this.rules.createOrReplace(
      name,
      parseBody(ClassificationRuleBodySchema, body, 'InvalidRequestBody', SCANNING_BODY_BOUNDS),
    );
    void reply.status(created ? 201 : 200);
    return rule;
  }

  @Delete(':classificationRuleName')
  @HttpCode(204)
  async delete(@Param('classificationRuleName') name: string): Promise<void> {
    await this.rules.delete(name);
  }

  @Post(':classificationRuleName/versions/:classificationRuleVersion/-/tag')
  @HttpCode(202)
  tag(
    @Param('classificationRuleName') name: string,
    @Param('classificationRuleVersion') version: string,
    @Query('action') action: string | undefined,
  ): Promise<OperationResponse> {
    if (!/^\d{1,9}$/.test(version))
      throw PurviewError.badRequest(
        `Version '${version.slice(0, 20)}' is not a whole number.`,
        'InvalidVersion',
        'classificationRuleVersion',
      );
    return this.rules.tag(name, Number(version), action);
  }
}
