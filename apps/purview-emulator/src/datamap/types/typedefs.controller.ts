import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AtlasTypeDef, AtlasTypeDefHeader, AtlasTypesDef } from '@purview-emulator/contracts';
import { principalOf } from '../../identity/bearer-auth.guard';
import { RequireRoles } from '../../identity/require-roles.decorator';
import { ACCESS } from '../../identity/access-policy';
import { TypeDefFilter, TypeDefsService } from './typedefs.service';

type QueryParams = Record<string, string | string[] | undefined>;

function last(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[value.length - 1] : value;
  return v === undefined || v === '' ? undefined : v;
}

function filterOf(query: QueryParams): TypeDefFilter {
  return { type: last(query.type), includeTermTemplate: last(query.includeTermTemplate)?.toLowerCase() === 'true' };
}

function actorOf(request: FastifyRequest): string {
  const principal = principalOf(request);
  return principal?.objectId || principal?.clientId || 'anonymous';
}

/** The Type operations of the Data Map API, under the data map prefix and the legacy catalog prefix. */
@Controller(['datamap/api/atlas/v2/types', 'catalog/api/atlas/v2/types'])
@RequireRoles(ACCESS.readTypeDefs)
export class TypeDefsController {
  constructor(private readonly types: TypeDefsService) {}

  @Get('typedefs')
  list(@Query() query: QueryParams): Promise<AtlasTypesDef> {
    return this.types.list(filterOf(query));
  }

  @Post('typedefs')
  @HttpCode(200)
  @RequireRoles(ACCESS.writeTypeDefs)
  create(@Body() body: unknown, @Req() request: FastifyRequest): Promise<AtlasTypesDef> {
    return this.types.create(body, actorOf(request));
  }

  @Put('typedefs')
  @RequireRoles(ACCESS.writeTypeDefs)
  update(@Body() body: unknown, @Req() request: FastifyRequest): Promise<AtlasTypesDef> {
    return this.types.update(body, actorOf(request));
  }

  @Delete('typedefs')
  @HttpCode(204)
  @RequireRoles(ACCESS.writeTypeDefs)
  async delete(@Body() body: unknown): Promise<void> {
    await this.types.delete(body);
  }

  @Get('typedefs/headers')
  headers(@Query() query: QueryParams): Promise<AtlasTypeDefHeader[]> {
    return this.types.headers(filterOf(query));
  }

  @Get('typedef/name/:name')
  getByName(@Param('name') name: string): Promise<AtlasTypeDef> {
    return this.types.getByName(name);
  }

  @Delete('typedef/name/:name')
  @HttpCode(204)
  @RequireRoles(ACCESS.writeTypeDefs)
  async deleteByName(@Param('name') name: string): Promise<void> {
    await this.types.deleteByName(name);
  }

  @Get('typedef/guid/:guid')
  getByGuid(@Param('guid') guid: string): Promise<AtlasTypeDef> {
    return this.types.getByGuid(guid);
  }

  @Get('entitydef/name/:name')
  entityDefByName(@Param('name') name: string): Promise<AtlasTypeDef> {
    return this.types.getByName(name, 'ENTITY');
  }

  @Get('entitydef/guid/:guid')
  entityDefByGuid(@Param('guid') guid: string): Promise<AtlasTypeDef> {
    return this.types.getByGuid(guid, 'ENTITY');
  }

  @Get('classificationdef/name/:name')
  classificationDefByName(@Param('name') name: string): Promise<AtlasTypeDef> {
    return this.types.getByName(name, 'CLASSIFICATION');
  }

  @Get('classificationdef/guid/:guid')
  classificationDefByGuid(@Param('guid') guid: string): Promise<AtlasTypeDef> {
    return this.types.getByGuid(guid, 'CLASSIFICATION');
  }

  @Get('enumdef/name/:name')
  enumDefByName(@Param('name') name: string): Promise<AtlasTypeDef> {
    return this.types.getByName(name, 'ENUM');
  }

  @Get('enumdef/guid/:guid')
  enumDefByGuid(@Param('guid') guid: string): Promise<AtlasTypeDef> {
    return this.types.getByGuid(guid, 'ENUM');
  }

  @Get('relationshipdef/name/:name')
  relationshipDefByName(@Param('name') name: string): Promise<AtlasTypeDef> {
    return this.types.getByName(name, 'RELATIONSHIP');
  }

  @Get('relationshipdef/guid/:guid')
  relationshipDefByGuid(@Param('guid') guid: string): Promise<AtlasTypeDef> {
    return this.types.getByGuid(guid, 'RELATIONSHIP');
  }

  @Get('structdef/name/:name')
  structDefByName(@Param('name') name: string): Promise<AtlasTypeDef> {
    return this.types.getByName(name, 'STRUCT');
  }

  @Get('structdef/guid/:guid')
  structDefByGuid(@Param('guid') guid: string): Promise<AtlasTypeDef> {
    return this.types.getByGuid(guid, 'STRUCT');
  }

  @Get('businessmetadatadef/name/:name')
  businessMetadataDefByName(@Param('name') name: string): Promise<AtlasTypeDef> {
    return this.types.getByName(name, 'BUSINESS_METADATA');
  }

  @Get('businessmetadatadef/guid/:guid')
  businessMetadataDefByGuid(@Param('guid') guid: string): Promise<AtlasTypeDef> {
    return this.types.getByGuid(guid, 'BUSINESS_METADATA');
  }
}

/**
 * Term template definitions: `/datamap/api/types/termtemplatedef/…` in 2023-09-01 (api-version required, outside
 * `/atlas/v2`), `/catalog/api/atlas/v2/types/termtemplatedef/…` in the legacy catalog.
 */
@Controller(['datamap/api/types/termtemplatedef', 'catalog/api/atlas/v2/types/termtemplatedef'])
@RequireRoles(ACCESS.readTypeDefs)
export class TermTemplateDefsController {
  constructor(private readonly types: TypeDefsService) {}

  @Get('name/:name')
  byName(@Param('name') name: string): Promise<AtlasTypeDef> {
    return this.types.getByName(name, 'TERM_TEMPLATE');
  }

  @Get('guid/:guid')
  byGuid(@Param('guid') guid: string): Promise<AtlasTypeDef> {
    return this.types.getByGuid(guid, 'TERM_TEMPLATE');
  }
}
