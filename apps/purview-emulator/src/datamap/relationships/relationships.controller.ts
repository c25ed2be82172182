import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AtlasRelationship, AtlasRelationshipWithExtInfo } from '@purview-emulator/contracts';
import { ACCESS } from '../../identity/access-policy';
import { principalOf } from '../../identity/bearer-auth.guard';
import { RequireRoles } from '../../identity/require-roles.decorator';
import { RelationshipsService } from './relationships.service';

export function actorOf(request: FastifyRequest): string {
  const principal = principalOf(request);
  return principal?.objectId || principal?.clientId || 'anonymous';
}

export function flag(value: unknown): boolean {
  const v = Array.isArray(value) ? (value[value.length - 1] as unknown) : value;
  return typeof v === 'string' && v.toLowerCase() === 'true';
}

/** Atlas relationship instances (Relationship group of the 2023-09-01 spec), under both data map prefixes. */
@Controller(['datamap/api/atlas/v2/relationship', 'catalog/api/atlas/v2/relationship'])
@RequireRoles(ACCESS.writeDataMap)
export class RelationshipsController {
  constructor(private readonly relationships: RelationshipsService) {}

  @Post()
  @HttpCode(200)
  create(@Body() body: unknown, @Req() request: FastifyRequest): Promise<AtlasRelationship> {
    return this.relationships.create(body, actorOf(request));
  }

  @Put()
  update(@Body() body: unknown, @Req() request: FastifyRequest): Promise<AtlasRelationship> {
    return this.relationships.update(body, actorOf(request));
  }

  @Get('guid/:guid')
  @RequireRoles(ACCESS.readDataMap)
  get(
    @Param('guid') guid: string,
    @Query('extendedInfo') extendedInfo: unknown,
  ): Promise<AtlasRelationshipWithExtInfo> {
    return this.relationships.get(guid, flag(extendedInfo));
  }

  @Delete('guid/:guid')
  @HttpCode(204)
  delete(@Param('guid') guid: string, @Req() request: FastifyRequest): Promise<void> {
    return this.relationships.delete(guid, actorOf(request));
  }
}
