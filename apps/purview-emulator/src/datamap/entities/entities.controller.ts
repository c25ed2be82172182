import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type {
  AtlasEntity,
  AtlasEntityHeader,
  AtlasEntityWithExtInfo,
  EntityMutationResult,
} from '@purview-emulator/contracts';
import { PurviewError } from '../../common/errors';
import { ATLAS_INVALID_PARAMETERS, parseEntitiesWithExtInfo, parseEntityWithExtInfo } from '../atlas-input';
import {
  BUSINESS_ATTRIBUTE_UPDATE_BEHAVIORS,
  BusinessAttributeUpdateBehavior,
  DataMapService,
} from '../datamap.service';
import { RequireRoles } from '../../identity/require-roles.decorator';
import { ACCESS } from '../../identity/access-policy';
import { EntitiesService } from './entities.service';
import { QueryParams, actorOf, list, readOptions, requiredGuids, requiredQualifiedName, single } from './atlas-query';

/** `businessAttributeUpdateBehavior` of entity create-or-update: one of the spec's values, default `ignore` as Atlas. */
function businessAttributeUpdateBehavior(query: QueryParams): BusinessAttributeUpdateBehavior | undefined {
  const value = single(query, 'businessAttributeUpdateBehavior');
  if (value === undefined) return undefined;
  const known = BUSINESS_ATTRIBUTE_UPDATE_BEHAVIORS.find((b) => b === value.toLowerCase());
  if (!known)
    throw PurviewError.atlas(
      400,
      ATLAS_INVALID_PARAMETERS,
      `invalid parameters: businessAttributeUpdateBehavior must be one of ${BUSINESS_ATTRIBUTE_UPDATE_BEHAVIORS.join(', ')}`,
    );
  return known;
}

/**
 * The Entity operations of the Data Map 2023-09-01 spec (Azure.Analytics.Purview.DataMap/stable/2023-09-01,
 * examples Entity_Create/Entity_Update, Entity_BulkCreateOrUpdate, Entity_ListByGuids, Entity_ListByUniqueAttributes,
 * Entity_GetByUniqueAttributes, Entity_PartialUpdateAttributeByGuid, Entity_PartialUpdateByUniqueAttributes,
 * Entity_Delete, Entity_BulkDelete, Entity_DeleteByUniqueAttribute), under the data map and legacy catalog prefixes.
 */
@Controller(['datamap/api/atlas/v2', 'catalog/api/atlas/v2'])
@RequireRoles(ACCESS.writeDataMap)
export class AtlasEntityController {
  constructor(
    private readonly dataMap: DataMapService,
    private readonly entities: EntitiesService,
  ) {}

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
      businessAttributeUpdateBehavior: businessAttributeUpdateBehavior(query),
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
      businessAttributeUpdateBehavior: businessAttributeUpdateBehavior(query),
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

  /** Partial update of one attribute: `?name=` the attribute, the body its JSON value (Entity_PartialUpdateAttributeByGuid). */
  @Put('entity/guid/:guid')
  partialUpdateByGuid(
    @Param('guid') guid: string,
    @Query() query: QueryParams,
    @Body() value: unknown,
    @Req() request: FastifyRequest,
  ): Promise<EntityMutationResult> {
    const name = single(query, 'name');
    if (!name)
      throw PurviewError.atlas(
        400,
        ATLAS_INVALID_PARAMETERS,
        'The query parameter name (the attribute to update) is required.',
      );
    return this.entities.partialUpdateByGuid(guid, name, value, actorOf(request));
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

  /** Partial update by unique attribute: the body's attributes overlay the entity's (Entity_PartialUpdateByUniqueAttributes). */
  @Put('entity/uniqueAttribute/type/:typeName')
  partialUpdateByUniqueAttribute(
    @Param('typeName') typeName: string,
    @Query() query: QueryParams,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<EntityMutationResult> {
    return this.entities.partialUpdateByUniqueAttribute(
      typeName,
      requiredQualifiedName(query, typeName),
      body,
      actorOf(request),
    );
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
