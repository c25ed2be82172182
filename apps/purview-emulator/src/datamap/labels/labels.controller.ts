import { Body, Controller, Delete, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ACCESS } from '../../identity/access-policy';
import { RequireRoles } from '../../identity/require-roles.decorator';
import { QueryParams, uniqueTarget } from '../entity-target';
import { parseLabels } from './label-validation';
import { LabelsService } from './labels.service';

/**
 * Labels of an entity, by guid or by unique attribute (`Entity_AddLabel`, `Entity_SetLabels`, `Entity_RemoveLabels`
 * and their `…ByUniqueAttribute` twins): PUT adds, POST sets, DELETE removes; every one answers 204.
 */
@Controller(['datamap/api/atlas/v2/entity', 'catalog/api/atlas/v2/entity'])
@RequireRoles(ACCESS.writeDataMap)
export class LabelsController {
  constructor(private readonly labels: LabelsService) {}

  @Put('guid/:guid/labels')
  @HttpCode(204)
  add(@Param('guid') guid: string, @Body() body: unknown): Promise<void> {
    return this.labels.add({ guid }, parseLabels(body));
  }

  @Post('guid/:guid/labels')
  @HttpCode(204)
  set(@Param('guid') guid: string, @Body() body: unknown): Promise<void> {
    return this.labels.set({ guid }, parseLabels(body));
  }

  @Delete('guid/:guid/labels')
  @HttpCode(204)
  remove(@Param('guid') guid: string, @Body() body: unknown): Promise<void> {
    return this.labels.remove({ guid }, parseLabels(body));
  }

  @Put('uniqueAttribute/type/:typeName/labels')
  @HttpCode(204)
  addByUniqueAttribute(
    @Param('typeName') typeName: string,
    @Query() query: QueryParams,
    @Body() body: unknown,
  ): Promise<void> {
    return this.labels.add(uniqueTarget(typeName, query), parseLabels(body));
  }

  @Post('uniqueAttribute/type/:typeName/labels')
  @HttpCode(204)
  setByUniqueAttribute(
    @Param('typeName') typeName: string,
    @Query() query: QueryParams,
    @Body() body: unknown,
  ): Promise<void> {
    return this.labels.set(uniqueTarget(typeName, query), parseLabels(body));
  }

  @Delete('uniqueAttribute/type/:typeName/labels')
  @HttpCode(204)
  removeByUniqueAttribute(
    @Param('typeName') typeName: string,
    @Query() query: QueryParams,
    @Body() body: unknown,
  ): Promise<void> {
    return this.labels.remove(uniqueTarget(typeName, query), parseLabels(body));
  }
}
