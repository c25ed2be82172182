import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type {
  AtlasEntity,
  AtlasEntityHeader,
  AtlasEntityWithExtInfo,
  EntityMutationResult,
} from '@purview-emulator/contracts';
import { PurviewError } from '../common/errors';
import { principalOf } from '../identity/bearer-auth.guard';
import { ATLAS_INVALID_PARAMETERS, parseEntitiesWithExtInfo, parseEntityWithExtInfo } from './atlas-input';
import { DataMapService, ReadOptions } from './datamap.service';
import { RequireRoles } from '../identity/require-roles.decorator';
import { ACCESS } from '../identity/access-policy';

type QueryParams = Record<string, string | string[] | undefined>;

function flag(value: string | string[] | undefined): boolean {
  const v = Array.isArray(value) ? value[value.length - 1] : value;
  return v !== undefined && v.toLowerCase() === 'true';
}

function readOptions(query: QueryParams): ReadOptions {
  return { minExtInfo: flag(query.minExtInfo), ignoreRelationships: flag(query.ignoreRelationships) };
}

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v) => v !== '');
}

function single(query: QueryParams, key: string): string | undefined {
  const value = query[key];
  const v = Array.isArray(value) ? value[0] : value;
  return v === undefined || v === '' ? undefined : v;
}

function requiredQualifiedName(query: QueryParams, typeName: string): string {
  const qualifiedName = single(query, 'attr:qualifiedName');
  if (!qualifiedName) {
    throw PurviewError.atlas(
      400,
      ATLAS_INVALID_PARAMETERS,
      `The query parameter attr:qualifiedName is required to find an entity of type ${typeName} by its unique attribute.`,
    );
  }
  return qualifiedName;
}

function requiredGuids(query: QueryParams): string[] {
  const guids = list(query.guid);
  if (guids.length === 0)
    throw PurviewError.atlas(
      400,
      ATLAS_INVALID_PARAMETERS,
      'At least one guid query parameter is required (?guid=a&guid=b).',
    );
  return guids;
}

function actorOf(request: FastifyRequest): string {
  const principal = principalOf(request);
  return principal?.objectId || principal?.clientId || 'anonymous';
}

/** Atlas v2 entity routes, under the data map prefix and the legacy catalog prefix. */
@Controller(['datamap/api/atlas/v2', 'catalog/api/atlas/v2'])
@RequireRoles(ACCESS.writeDataMap)
export class AtlasEntityController {
  constructor(private readonly dataMap: DataMapService) {}

  @Post('entity')
  @HttpCode(200)
  createOrUpdate(
    @Body() body: unknown,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
  ): Promise<EntityMutationResult> {
    return this.dataMap.createOrUpdate(parseEntityWithExtInfo(body), {
      updatedBy: actorOf(request),
      collectionId: single(query, 'collectionId'),
    });
  }

  @Post('entity/bulk')
  @HttpCode(200)
  createOrUpdateBulk(
    @Body() body: unknown,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
  ): Promise<EntityMutationResult> {
    return this.dataMap.createOrUpdate(parseEntitiesWithExtInfo(body), {
      updatedBy: actorOf(request),
      collectionId: single(query, 'collectionId'),
    });
  }

  @Get('entity/bulk')
  @RequireRoles(ACCESS.readDataMap)
  getBulk(
    @Query() query: QueryParams,
  ): Promise<{ entities: AtlasEntity[]; referredEntities: Record<string, AtlasEntity> }> {
    return this.dataMap.getBulk(requiredGuids(query), readOptions(query));
  }

  @Delete('entity/bulk')
  deleteBulk(@Query() query: QueryParams, @Req() request: FastifyRequest): Promise<EntityMutationResult> {
    return this.dataMap.deleteByGuids(requiredGuids(query), actorOf(request));
  }

  @Get('entity/bulk/uniqueAttribute/type/:typeName')
  @RequireRoles(ACCESS.readDataMap)
  getBulkByUniqueAttributes(
    @Param('typeName') typeName: string,
    @Query() query: QueryParams,
  ): Promise<{ entities: AtlasEntity[]; referredEntities: Record<string, AtlasEntity> }> {
    const qualifiedNames = Object.keys(query)
      .filter((k) => /^attr_\d+:qualifiedName$/.test(k))
      .sort((a, b) => Number(a.slice(5, a.indexOf(':'))) - Number(b.slice(5, b.indexOf(':'))))
      .flatMap((k) => list(query[k]));
    if (qualifiedNames.length === 0) {
      throw PurviewError.atlas(
        400,
        ATLAS_INVALID_PARAMETERS,
        'At least one attr_N:qualifiedName query parameter is required (?attr_0:qualifiedName=…&attr_1:qualifiedName=…).',
      );
    }
    return this.dataMap.getBulkByUniqueAttributes(typeName, qualifiedNames, readOptions(query));
  }

  @Get('entity/guid/:guid')
  @RequireRoles(ACCESS.readDataMap)
  get(@Param('guid') guid: string, @Query() query: QueryParams): Promise<AtlasEntityWithExtInfo> {
    return this.dataMap.getByGuid(guid, readOptions(query));
  }

  @Get('entity/guid/:guid/header')
  @RequireRoles(ACCESS.readDataMap)
  header(@Param('guid') guid: string): Promise<AtlasEntityHeader> {
    return this.dataMap.getHeader(guid);
  }

  @Delete('entity/guid/:guid')
  delete(@Param('guid') guid: string, @Req() request: FastifyRequest): Promise<EntityMutationResult> {
    return this.dataMap.deleteByGuids([guid], actorOf(request));
  }

  @Get('entity/uniqueAttribute/type/:typeName')
  @RequireRoles(ACCESS.readDataMap)
  getByUniqueAttribute(
    @Param('typeName') typeName: string,
    @Query() query: QueryParams,
  ): Promise<AtlasEntityWithExtInfo> {
    return this.dataMap.getByUniqueAttribute(typeName, requiredQualifiedName(query, typeName), readOptions(query));
  }

  @Delete('entity/uniqueAttribute/type/:typeName')
  deleteByUniqueAttribute(
    @Param('typeName') typeName: string,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
  ): Promise<EntityMutationResult> {
    return this.dataMap.deleteByUniqueAttribute(typeName, requiredQualifiedName(query, typeName), actorOf(request));
  }
}

/** Legacy catalog collection-scoped writes (2021-05-01-preview … 2022-08-01-preview; pyapacheatlas, purviewcli). */
@Controller('catalog/api/collections/:collection')
@RequireRoles(ACCESS.writeDataMap)
export class LegacyCollectionEntityController {
  constructor(private readonly dataMap: DataMapService) {}

  @Post('entity')
  @HttpCode(200)
  createOrUpdate(
    @Param('collection') collection: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<EntityMutationResult> {
    return this.dataMap.createOrUpdate(parseEntityWithExtInfo(body), {
      updatedBy: actorOf(request),
      collectionId: collection,
    });
  }

  @Post('entity/bulk')
  @HttpCode(200)
  createOrUpdateBulk(
    @Param('collection') collection: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<EntityMutationResult> {
    return this.dataMap.createOrUpdate(parseEntitiesWithExtInfo(body), {
      updatedBy: actorOf(request),
      collectionId: collection,
    });
  }
}
