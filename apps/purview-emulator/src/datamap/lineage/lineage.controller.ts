import { Controller, Get, Param, Query } from '@nestjs/common';
import type { AtlasLineageInfo } from '@purview-emulator/contracts';
import { PurviewError } from '../../common/errors';
import { ACCESS } from '../../identity/access-policy';
import { RequireRoles } from '../../identity/require-roles.decorator';
import { ATLAS_INVALID_PARAMETERS } from '../atlas-input';
import { LineageService } from './lineage.service';

type QueryParams = Record<string, unknown>;

/** Lineage (Lineage group of the 2023-09-01 spec) under the data map prefix and the legacy catalog one. */
@Controller()
@RequireRoles(ACCESS.readDataMap)
export class LineageController {
  constructor(private readonly lineage: LineageService) {}

  @Get([
    'datamap/api/atlas/v2/lineage/uniqueAttribute/type/:typeName',
    'catalog/api/atlas/v2/lineage/uniqueAttribute/type/:typeName',
  ])
  getByUniqueAttribute(@Param('typeName') typeName: string, @Query() query: QueryParams): Promise<AtlasLineageInfo> {
    const raw = query['attr:qualifiedName'];
    const qualifiedName: unknown = Array.isArray(raw) ? raw[0] : raw;
    if (typeof qualifiedName !== 'string' || qualifiedName === '') {
      throw PurviewError.atlas(
        400,
        ATLAS_INVALID_PARAMETERS,
        `The query parameter attr:qualifiedName is required to find an entity of type ${typeName} by its unique attribute.`,
      );
    }
    return this.lineage.getByUniqueAttribute(typeName, qualifiedName, query);
  }

  @Get(['datamap/api/atlas/v2/lineage/:guid', 'catalog/api/atlas/v2/lineage/:guid'])
  get(@Param('guid') guid: string, @Query() query: QueryParams): Promise<AtlasLineageInfo> {
    return this.lineage.get(guid, query);
  }

  // The legacy catalog spelled it with a trailing slash, which the router ignores.
  @Get(['datamap/api/lineage/:guid/next', 'catalog/api/lineage/:guid/next'])
  nextPage(@Param('guid') guid: string, @Query() query: QueryParams): Promise<AtlasLineageInfo> {
    return this.lineage.nextPage(guid, query);
  }
}
