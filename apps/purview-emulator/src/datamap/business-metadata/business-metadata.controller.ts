import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';
import {
  BusinessAttributesSchema,
  BusinessMetadataAttributesSchema,
  type BulkImportResult,
} from '@purview-emulator/contracts';
import type { ZodType, ZodTypeDef } from 'zod';
import { PurviewError } from '../../common/errors';
import { ACCESS } from '../../identity/access-policy';
import { RequireRoles } from '../../identity/require-roles.decorator';
import { QueryParams, actorOf } from '../entity-target';
import { BM_ERRORS, BusinessValues } from './business-attributes';
import { BusinessMetadataService } from './business-metadata.service';

function invalidParameters(message: string): PurviewError {
  return PurviewError.atlas(400, BM_ERRORS.INVALID_PARAMETERS, `invalid parameters: ${message}`);
}

/** A JSON body of the given shape; an absent one is Atlas's "null/empty" 400. */
function parseValues<T>(schema: ZodType<T, ZodTypeDef, unknown>, body: unknown): T {
  if (body === undefined || body === null) throw invalidParameters('businessAttributes is null/empty');
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw invalidParameters(parsed.error.issues[0].message);
  return parsed.data;
}

function flag(value: string | string[] | undefined): boolean {
  const v = Array.isArray(value) ? value[value.length - 1] : value;
  return v?.toLowerCase() === 'true';
}

/**
 * Business metadata of entities (`Entity_AddOrUpdateBusinessMetadata[Attributes]`,
 * `Entity_RemoveBusinessMetadata[Attributes]`, `Entity_ImportBusinessMetadata`,
 * `Entity_GetSampleBusinessMetadataTemplate`). Writes answer 204, the import its `BulkImportResult`.
 */
@Controller(['datamap/api/atlas/v2/entity', 'catalog/api/atlas/v2/entity'])
@RequireRoles(ACCESS.writeDataMap)
export class BusinessMetadataController {
  constructor(private readonly businessMetadata: BusinessMetadataService) {}

  @Post('guid/:guid/businessmetadata')
  @HttpCode(204)
  addOrUpdate(
    @Param('guid') guid: string,
    @Query() query: QueryParams,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    return this.businessMetadata.addOrUpdate(
      { guid },
      parseValues(BusinessAttributesSchema, body),
      flag(query.isOverwrite),
      actorOf(request),
    );
  }

  @Delete('guid/:guid/businessmetadata')
  @HttpCode(204)
  remove(@Param('guid') guid: string, @Body() body: unknown, @Req() request: FastifyRequest): Promise<void> {
    return this.businessMetadata.remove({ guid }, parseValues(BusinessAttributesSchema, body), actorOf(request));
  }

  @Post('guid/:guid/businessmetadata/:bmName')
  @HttpCode(204)
  addOrUpdateAttributes(
    @Param('guid') guid: string,
    @Param('bmName') bmName: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    const values: BusinessValues = { [bmName]: parseValues(BusinessMetadataAttributesSchema, body) };
    return this.businessMetadata.addOrUpdate({ guid }, values, false, actorOf(request));
  }

  @Delete('guid/:guid/businessmetadata/:bmName')
  @HttpCode(204)
  removeAttributes(
    @Param('guid') guid: string,
    @Param('bmName') bmName: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    const values: BusinessValues = { [bmName]: parseValues(BusinessMetadataAttributesSchema, body) };
    return this.businessMetadata.remove({ guid }, values, actorOf(request));
  }

  @Get('businessmetadata/import/template')
  @RequireRoles(ACCESS.readDataMap)
  @Header('content-type', 'application/octet-stream')
  @Header('content-disposition', 'attachment; filename="template_business_metadata"')
  template(): string {
    return this.businessMetadata.template();
  }

  /** Multipart upload, the CSV in the form field `file` (as the spec declares). */
  @Post('businessmetadata/import')
  @HttpCode(200)
  async import(@Req() request: FastifyRequest): Promise<BulkImportResult> {
    if (!request.isMultipart())
      throw invalidParameters('the request must be multipart/form-data with the CSV file in the form field "file"');
    const part = await request.file();
    if (!part || part.fieldname !== 'file')
      throw invalidParameters('the CSV file must be sent in the multipart form field "file"');
    const content = await part.toBuffer();
    return this.businessMetadata.importCsv(part.filename, content, actorOf(request));
  }
}
