import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import type { QueryResult } from '@purview-emulator/contracts';
import { SearchService } from './search.service';
import { RequireRoles } from '../identity/require-roles.decorator';
import { ACCESS } from '../identity/access-policy';

/** Discovery search: the 2023-09-01 data map route and the legacy catalog one. */
@Controller()
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Post(['datamap/api/search/query', 'catalog/api/search/query'])
  @HttpCode(200)
  // A POST, but a read: Data Readers search.
  @RequireRoles(ACCESS.readDataMap)
  query(@Body() body: unknown): Promise<QueryResult> {
    return this.search.query(body);
  }
}
