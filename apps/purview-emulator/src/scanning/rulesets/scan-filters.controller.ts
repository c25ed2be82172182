import { Body, Controller, Get, Param, Put, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { type ScanFilter, ScanFilterBodySchema } from '@purview-emulator/contracts';
import { SCANNING_BODY_BOUNDS, parseBody } from '../../common/validation';
import { RequireRoles } from '../../identity/require-roles.decorator';
import { ACCESS } from '../../identity/access-policy';
import { ScanFiltersService } from './scan-filters.service';

/** `/scan/datasources/{ds}/scans/{scan}/filters/custom` (Filters_*). */
@Controller('scan/datasources/:dataSourceName/scans/:scanName/filters/custom')
@RequireRoles(ACCESS.manageScanning)
export class ScanFiltersController {
  constructor(private readonly filters: ScanFiltersService) {}

  @Get()
  @RequireRoles(ACCESS.readScanning)
  get(@Param('dataSourceName') ds: string, @Param('scanName') scan: string): Promise<ScanFilter> {
    return this.filters.get(ds, scan);
  }

  @Put()
  async createOrReplace(
    @Param('dataSourceName') ds: string,
    @Param('scanName') scan: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScanFilter> {
    const { created, filter } = await this.filters.createOrReplace(
      ds,
      scan,
      parseBody(ScanFilterBodySchema, body, 'InvalidRequestBody', SCANNING_BODY_BOUNDS),
    );
    void reply.status(created ? 201 : 200);
    return filter;
  }
}
