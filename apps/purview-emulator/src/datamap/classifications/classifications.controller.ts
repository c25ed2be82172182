import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AtlasClassification, AtlasClassifications } from '@purview-emulator/contracts';
import { ACCESS } from '../../identity/access-policy';
import { RequireRoles } from '../../identity/require-roles.decorator';
import { QueryParams, actorOf, requiredQualifiedName } from '../entities/atlas-query';
import { parseAssociateOptions, parseClassifications, parseEntityHeaders } from './classification-input';
import { ClassificationsService } from './classifications.service';

/**
 * The classification operations of the Data Map 2023-09-01 spec's Entity group, under the data map and legacy
 * catalog prefixes. Shapes as in the spec's examples Entity_AddClassifications, Entity_AddClassificationToEntityByGuids,
 * Entity_AddClassificationsByUniqueAttribute, Entity_UpdateClassificationsByUniqueAttribute,
 * Entity_RemoveClassification and Entity_BulkSetClassifications. Writes answer 204, as the spec says.
 */
@Controller(['datamap/api/atlas/v2/entity', 'catalog/api/atlas/v2/entity'])
@RequireRoles(ACCESS.writeDataMap)
export class ClassificationsController {
  constructor(private readonly classifications: ClassificationsService) {}

  @Get('guid/:guid/classification/:classificationName')
  @RequireRoles(ACCESS.readDataMap)
  get(@Param('guid') guid: string, @Param('classificationName') name: string): Promise<AtlasClassification> {
    return this.classifications.get(guid, name);
  }

  @Delete('guid/:guid/classification/:classificationName')
  @HttpCode(204)
  remove(
    @Param('guid') guid: string,
    @Param('classificationName') name: string,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    return this.classifications.remove({ guid }, name, actorOf(request));
  }

  @Get('guid/:guid/classifications')
  @RequireRoles(ACCESS.readDataMap)
  list(@Param('guid') guid: string): Promise<AtlasClassifications> {
    return this.classifications.list(guid);
  }

  @Post('guid/:guid/classifications')
  @HttpCode(204)
  add(@Param('guid') guid: string, @Body() body: unknown, @Req() request: FastifyRequest): Promise<void> {
    return this.classifications.add({ guid }, parseClassifications(body), actorOf(request));
  }

  @Put('guid/:guid/classifications')
  @HttpCode(204)
  update(@Param('guid') guid: string, @Body() body: unknown, @Req() request: FastifyRequest): Promise<void> {
    return this.classifications.update({ guid }, parseClassifications(body), actorOf(request));
  }

  @Delete('uniqueAttribute/type/:typeName/classification/:classificationName')
  @HttpCode(204)
  removeByUniqueAttribute(
    @Param('typeName') typeName: string,
    @Param('classificationName') name: string,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    return this.classifications.remove(
      { typeName, qualifiedName: requiredQualifiedName(query, typeName) },
      name,
      actorOf(request),
    );
  }

  @Post('uniqueAttribute/type/:typeName/classifications')
  @HttpCode(204)
  addByUniqueAttribute(
    @Param('typeName') typeName: string,
    @Query() query: QueryParams,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    const locator = { typeName, qualifiedName: requiredQualifiedName(query, typeName) };
    return this.classifications.add(locator, parseClassifications(body), actorOf(request));
  }

  @Put('uniqueAttribute/type/:typeName/classifications')
  @HttpCode(204)
  updateByUniqueAttribute(
    @Param('typeName') typeName: string,
    @Query() query: QueryParams,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    const locator = { typeName, qualifiedName: requiredQualifiedName(query, typeName) };
    return this.classifications.update(locator, parseClassifications(body), actorOf(request));
  }

  @Post('bulk/classification')
  @HttpCode(204)
  addToEntities(@Body() body: unknown, @Req() request: FastifyRequest): Promise<void> {
    return this.classifications.addToEntities(parseAssociateOptions(body), actorOf(request));
  }

  @Post('bulk/setClassifications')
  @HttpCode(200)
  set(@Body() body: unknown, @Req() request: FastifyRequest): Promise<string[]> {
    return this.classifications.set(parseEntityHeaders(body), actorOf(request));
  }
}
