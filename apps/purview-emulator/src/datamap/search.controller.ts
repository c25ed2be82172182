import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import type { AutoCompleteResult, CatalogBrowseResult, QueryResult, SuggestResult } from '@purview-emulator/contracts';
import { SearchService } from './search.service';
import { DiscoveryService } from './discovery.service';
import { BrowseService } from './browse.service';
import { RequireRoles } from '../identity/require-roles.decorator';
import { ACCESS } from '../identity/access-policy';

/** Discovery: the 2023-09-01 data map routes and the legacy catalog ones. POSTs, but reads: Data Readers search. */
@Controller()
export class SearchController {
  constructor(
    private readonly search: SearchService,
    private readonly discovery: DiscoveryService,
    private readonly browsing: BrowseService,
  ) {}

  @Post(['datamap/api/search/query', 'catalog/api/search/query'])
  @HttpCode(200)
  @RequireRoles(ACCESS.readDataMap)
  query(@Body() body: unknown): Promise<QueryResult> {
    return this.search.query(body);
  }

  @Post(['datamap/api/search/suggest', 'catalog/api/search/suggest'])
  @HttpCode(200)
  @RequireRoles(ACCESS.readDataMap)
  suggest(@Body() body: unknown): Promise<SuggestResult> {
    return this.discovery.suggest(body);
  }

  @Post(['datamap/api/search/autocomplete', 'catalog/api/search/autocomplete'])
  @HttpCode(200)
  @RequireRoles(ACCESS.readDataMap)
  autocomplete(@Body() body: unknown): Promise<AutoCompleteResult> {
    return this.discovery.autocomplete(body);
  }

  @Post('catalog/api/browse')
  @HttpCode(200)
  @RequireRoles(ACCESS.readDataMap)
  browse(@Body() body: unknown): Promise<CatalogBrowseResult> {
    return this.browsing.browse(body);
  }
}
