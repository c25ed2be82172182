import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type {
  Collection,
  CollectionList,
  CollectionNameList,
  CollectionPath,
  EntityMutationResult,
} from '@purview-emulator/contracts';
import { ACCESS } from '../../identity/access-policy';
import { RequireRoles } from '../../identity/require-roles.decorator';
import { actorOf } from '../relationships/relationships.controller';
import { CollectionsService } from './collections.service';

/** The account data plane's collections (`{endpoint}/account/collections`, api-version 2019-11-01-preview). */
@Controller('account/collections')
@RequireRoles(ACCESS.manageCollections)
export class AccountCollectionsController {
  constructor(private readonly collections: CollectionsService) {}

  @Get()
  @RequireRoles(ACCESS.readCollections)
  list(): Promise<CollectionList> {
    return this.collections.list();
  }

  @Get(':name')
  @RequireRoles(ACCESS.readCollections)
  get(@Param('name') name: string): Promise<Collection> {
    return this.collections.get(name);
  }

  @Put(':name')
  createOrUpdate(
    @Param('name') name: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<Collection> {
    return this.collections.createOrUpdate(name, body, actorOf(request));
  }

  @Delete(':name')
  @HttpCode(204)
  delete(@Param('name') name: string): Promise<void> {
    return this.collections.delete(name);
  }

  @Get(':name/getChildCollectionNames')
  @RequireRoles(ACCESS.readCollections)
  childNames(@Param('name') name: string): Promise<CollectionNameList> {
    return this.collections.childNames(name);
  }

  @Get(':name/getCollectionPath')
  @RequireRoles(ACCESS.readCollections)
  path(@Param('name') name: string): Promise<CollectionPath> {
    return this.collections.path(name);
  }
}

/** Moving entities between collections: the data map's `entity/moveTo` and the legacy catalog's `moveHere`. */
@Controller()
@RequireRoles(ACCESS.writeDataMap)
export class MoveEntitiesController {
  constructor(private readonly collections: CollectionsService) {}

  @Post('datamap/api/entity/moveTo')
  @HttpCode(200)
  moveTo(
    @Query('collectionId') collectionId: unknown,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<EntityMutationResult> {
    return this.collections.moveEntities(
      typeof collectionId === 'string' ? collectionId : undefined,
      body,
      actorOf(request),
    );
  }

  @Post('catalog/api/collections/:collection/entity/moveHere')
  @HttpCode(200)
  moveHere(
    @Param('collection') collection: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<EntityMutationResult> {
    return this.collections.moveEntities(collection, body, actorOf(request));
  }
}
