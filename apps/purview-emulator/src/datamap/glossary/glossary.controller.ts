import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type {
  AtlasGlossary,
  AtlasGlossaryCategory,
  AtlasGlossaryExtInfo,
  AtlasGlossaryTerm,
  AtlasRelatedCategoryHeader,
  AtlasRelatedTermHeader,
} from '@purview-emulator/contracts';
import { ACCESS } from '../../identity/access-policy';
import { RequireRoles } from '../../identity/require-roles.decorator';
import { CategoriesService } from './categories.service';
import { GlossariesService } from './glossaries.service';
import { QueryParams, actorOf } from './glossary-query';

/**
 * Glossaries and categories (Glossary group of the 2023-09-01 spec) under both data map prefixes. Creates answer
 * 200 as the real service does (recorded), deletes 204.
 */
@Controller(['datamap/api/atlas/v2/glossary', 'catalog/api/atlas/v2/glossary'])
@RequireRoles(ACCESS.writeGlossary)
export class GlossaryController {
  constructor(
    private readonly glossaries: GlossariesService,
    private readonly categories: CategoriesService,
  ) {}

  @Get()
  @RequireRoles(ACCESS.readGlossary)
  list(@Query() query: QueryParams): Promise<AtlasGlossary[]> {
    return this.glossaries.list(query);
  }

  @Post()
  @HttpCode(200)
  create(@Body() body: unknown, @Req() request: FastifyRequest): Promise<AtlasGlossary> {
    return this.glossaries.create(body, actorOf(request));
  }

  @Post('categories')
  @HttpCode(200)
  createCategories(@Body() body: unknown, @Req() request: FastifyRequest): Promise<AtlasGlossaryCategory[]> {
    return this.categories.createMany(body, actorOf(request));
  }

  @Post('category')
  @HttpCode(200)
  createCategory(@Body() body: unknown, @Req() request: FastifyRequest): Promise<AtlasGlossaryCategory> {
    return this.categories.create(body, actorOf(request));
  }

  @Get('category/:categoryId')
  @RequireRoles(ACCESS.readGlossary)
  getCategory(@Param('categoryId') guid: string): Promise<AtlasGlossaryCategory> {
    return this.categories.get(guid);
  }

  @Put('category/:categoryId')
  updateCategory(
    @Param('categoryId') guid: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<AtlasGlossaryCategory> {
    return this.categories.update(guid, body, actorOf(request));
  }

  @Delete('category/:categoryId')
  @HttpCode(204)
  deleteCategory(@Param('categoryId') guid: string): Promise<void> {
    return this.categories.delete(guid);
  }

  @Put('category/:categoryId/partial')
  partialUpdateCategory(
    @Param('categoryId') guid: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<AtlasGlossaryCategory> {
    return this.categories.partialUpdate(guid, body, actorOf(request));
  }

  @Get('category/:categoryId/related')
  @RequireRoles(ACCESS.readGlossary)
  relatedCategories(@Param('categoryId') guid: string): Promise<Record<string, AtlasRelatedCategoryHeader[]>> {
    return this.categories.related(guid);
  }

  @Get('category/:categoryId/terms')
  @RequireRoles(ACCESS.readGlossary)
  categoryTerms(@Param('categoryId') guid: string, @Query() query: QueryParams): Promise<AtlasRelatedTermHeader[]> {
    return this.categories.terms(guid, query);
  }

  @Get(':glossaryId')
  @RequireRoles(ACCESS.readGlossary)
  get(@Param('glossaryId') guid: string): Promise<AtlasGlossary> {
    return this.glossaries.get(guid);
  }

  @Put(':glossaryId')
  update(
    @Param('glossaryId') guid: string,
    @Body() body: unknown,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
  ): Promise<AtlasGlossary> {
    return this.glossaries.update(guid, body, actorOf(request), query);
  }

  @Delete(':glossaryId')
  @HttpCode(204)
  delete(@Param('glossaryId') guid: string): Promise<void> {
    return this.glossaries.delete(guid);
  }

  @Get(':glossaryId/categories')
  @RequireRoles(ACCESS.readGlossary)
  listCategories(@Param('glossaryId') guid: string, @Query() query: QueryParams): Promise<AtlasGlossaryCategory[]> {
    return this.glossaries.categories(guid, query);
  }

  @Get(':glossaryId/categories/headers')
  @RequireRoles(ACCESS.readGlossary)
  listCategoryHeaders(
    @Param('glossaryId') guid: string,
    @Query() query: QueryParams,
  ): Promise<AtlasRelatedCategoryHeader[]> {
    return this.glossaries.categoryHeaders(guid, query);
  }

  @Get(':glossaryId/detailed')
  @RequireRoles(ACCESS.readGlossary)
  detailed(@Param('glossaryId') guid: string): Promise<AtlasGlossaryExtInfo> {
    return this.glossaries.detailed(guid);
  }

  @Put(':glossaryId/partial')
  partialUpdate(
    @Param('glossaryId') guid: string,
    @Body() body: unknown,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
  ): Promise<AtlasGlossary> {
    return this.glossaries.partialUpdate(guid, body, actorOf(request), query);
  }

  @Get(':glossaryId/terms')
  @RequireRoles(ACCESS.readGlossary)
  listTerms(@Param('glossaryId') guid: string, @Query() query: QueryParams): Promise<AtlasGlossaryTerm[]> {
    return this.glossaries.terms(guid, query);
  }

  @Get(':glossaryId/terms/headers')
  @RequireRoles(ACCESS.readGlossary)
  listTermHeaders(@Param('glossaryId') guid: string, @Query() query: QueryParams): Promise<AtlasRelatedTermHeader[]> {
    return this.glossaries.termHeaders(guid, query);
  }
}
