import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  BrowseRequestSchema,
  BrowseResult,
  DatabasePreviewSchemaResult,
  PreviewSchemaRequestSchema,
  PreviewSchemaResult,
  TestConnectionRequestSchema,
  TestConnectionResult,
} from '@purview-emulator/contracts';
import { parseBody } from '../common/validation';
import { ACCESS } from '../identity/access-policy';
import { RequireRoles } from '../identity/require-roles.decorator';
import { DataSourceAuthoringService } from './data-source-authoring.service';

/**
 * Emulator extension: what the portal does through a self-hosted IR while you register a source (its own calls are
 * internal). `POST /scan/datasources/{ds}:testConnection` (or `/-/testConnection`), `:browse`, `:previewSchema`.
 */
@Controller('scan/datasources')
@RequireRoles(ACCESS.manageScanning)
export class DataSourceAuthoringController {
  constructor(private readonly authoring: DataSourceAuthoringService) {}

  @Post(':name/-/testConnection')
  @HttpCode(200)
  testConnection(@Param('name') name: string, @Body() body: unknown): Promise<TestConnectionResult> {
    return this.authoring.testConnection(name, parseBody(TestConnectionRequestSchema, body));
  }

  @Post(':name/-/browse')
  @HttpCode(200)
  browse(@Param('name') name: string, @Body() body: unknown): Promise<BrowseResult> {
    return this.authoring.browse(name, parseBody(BrowseRequestSchema, body));
  }

  @Post(':name/-/previewSchema')
  @HttpCode(200)
  previewSchema(
    @Param('name') name: string,
    @Body() body: unknown,
  ): Promise<PreviewSchemaResult | DatabasePreviewSchemaResult> {
    return this.authoring.previewSchema(name, parseBody(PreviewSchemaRequestSchema, body));
  }
}
