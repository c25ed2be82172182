import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type {
  AtlasGlossaryTerm,
  AtlasRelatedTermHeader,
  AtlasTermAssignmentObjectId,
} from '@purview-emulator/contracts';
import { ACCESS } from '../../identity/access-policy';
import { RequireRoles } from '../../identity/require-roles.decorator';
import { QueryParams, actorOf, flagOf, listOf } from './glossary-query';
import { TermAssignmentsService } from './term-assignments.service';
import { TermsService } from './terms.service';

const hierarchy = (query: QueryParams) => ({ includeTermHierarchy: flagOf(query, 'includeTermHierarchy') });

/** Glossary terms and term assignment (Glossary group of the 2023-09-01 spec) under both data map prefixes. */
@Controller(['datamap/api/atlas/v2/glossary', 'catalog/api/atlas/v2/glossary'])
@RequireRoles(ACCESS.writeGlossary)
export class TermsController {
  constructor(
    private readonly terms: TermsService,
    private readonly assignments: TermAssignmentsService,
  ) {}

  @Post('term')
  @HttpCode(200)
  create(@Body() body: unknown, @Query() query: QueryParams, @Req() request: FastifyRequest) {
    return this.terms.create(body, actorOf(request), hierarchy(query));
  }

  @Post('terms')
  @HttpCode(200)
  createMany(
    @Body() body: unknown,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
  ): Promise<AtlasGlossaryTerm[]> {
    return this.terms.createMany(body, actorOf(request), hierarchy(query));
  }

  @Get('term/:termId')
  @RequireRoles(ACCESS.readGlossary)
  get(@Param('termId') guid: string, @Query() query: QueryParams): Promise<AtlasGlossaryTerm> {
    return this.terms.get(guid, {
      ...hierarchy(query),
      excludeRelationshipTypes: listOf(query, 'excludeRelationshipTypes'),
    });
  }

  @Put('term/:termId')
  update(
    @Param('termId') guid: string,
    @Body() body: unknown,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
  ): Promise<AtlasGlossaryTerm> {
    return this.terms.update(guid, body, actorOf(request), hierarchy(query));
  }

  @Delete('term/:termId')
  @HttpCode(204)
  delete(@Param('termId') guid: string): Promise<void> {
    return this.terms.delete(guid);
  }

  @Put('term/:termId/partial')
  partialUpdate(
    @Param('termId') guid: string,
    @Body() body: unknown,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
  ): Promise<AtlasGlossaryTerm> {
    return this.terms.partialUpdate(guid, body, actorOf(request), hierarchy(query));
  }

  @Get('terms/:termId/related')
  @RequireRoles(ACCESS.readGlossary)
  related(@Param('termId') guid: string): Promise<Record<string, AtlasRelatedTermHeader[]>> {
    return this.terms.related(guid);
  }

  @Get('terms/:termId/assignedEntities')
  @RequireRoles(ACCESS.readGlossary)
  assignedEntities(@Param('termId') guid: string, @Query() query: QueryParams): Promise<AtlasTermAssignmentObjectId[]> {
    return this.assignments.list(guid, query);
  }

  @Post('terms/:termId/assignedEntities')
  @HttpCode(204)
  assign(@Param('termId') guid: string, @Body() body: unknown, @Req() request: FastifyRequest): Promise<void> {
    return this.assignments.assign(guid, body, actorOf(request));
  }

  @Delete('terms/:termId/assignedEntities')
  @HttpCode(204)
  removeAssignments(@Param('termId') guid: string, @Body() body: unknown): Promise<void> {
    return this.assignments.remove(guid, body);
  }
}
