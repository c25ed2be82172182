import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { SearchIndex, SearchIndexState } from './search/search-index';
import { RequireRoles } from '../identity/require-roles.decorator';
import { ACCESS } from '../identity/access-policy';

/** Emulator extension: the state of discovery's full-text index, and a rebuild from the entity store. */
@Controller('_emulator/search')
export class SearchIndexController {
  constructor(private readonly index: SearchIndex) {}

  @Get('index')
  @RequireRoles(ACCESS.readDataMap)
  state(): Promise<SearchIndexState> {
    return this.index.state();
  }

  @Post('index/-/rebuild') // `index:rebuild` arrives rewritten (see common/url-rewrite)
  @HttpCode(200)
  @RequireRoles(ACCESS.writeDataMap)
  rebuild(): Promise<SearchIndexState> {
    return this.index.rebuild('requested');
  }
}
