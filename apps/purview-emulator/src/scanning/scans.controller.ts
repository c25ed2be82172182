import { Body, Controller, Delete, Get, Param, Put, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PagedList, Scan } from '@purview-emulator/contracts';
import { deleteAnswer } from '../common/delete-answer';
import { pagedList } from '../common/paging';
import { assertResourceName } from '../common/validation';
import { ScansService } from './scans.service';
import { parseScanBody } from './scanning-input';
import { RequireRoles } from '../identity/require-roles.decorator';
import { ACCESS } from '../identity/access-policy';

/** `/scan/datasources/{ds}/scans` (Scans_*). */
@Controller('scan/datasources/:dataSourceName/scans')
@RequireRoles(ACCESS.manageScanning)
export class ScansController {
  constructor(private readonly scans: ScansService) {}

  @Get()
  @RequireRoles(ACCESS.readScanning)
  list(@Param('dataSourceName') dataSourceName: string, @Req() request: FastifyRequest): Promise<PagedList<Scan>> {
    return pagedList(request, (skip, take) => this.scans.list(dataSourceName, skip, take));
  }

  @Get(':scanName')
  @RequireRoles(ACCESS.readScanning)
  get(@Param('dataSourceName') dataSourceName: string, @Param('scanName') scanName: string): Promise<Scan> {
    return this.scans.get(dataSourceName, scanName);
  }

  @Put(':scanName')
  async createOrReplace(
    @Param('dataSourceName') dataSourceName: string,
    @Param('scanName') scanName: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Scan> {
    assertResourceName(scanName, 'scan name');
    const { created, scan } = await this.scans.createOrReplace(dataSourceName, scanName, parseScanBody(body));
    void reply.status(created ? 201 : 200);
    return scan;
  }

  /** 204 on 2023-09-01; 200 with the deleted scan on earlier versions (deleteAnswer). */
  @Delete(':scanName')
  async delete(
    @Param('dataSourceName') dataSourceName: string,
    @Param('scanName') scanName: string,
    @Query('api-version') apiVersion: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Scan | undefined> {
    return deleteAnswer(reply, apiVersion, await this.scans.delete(dataSourceName, scanName));
  }
}
