import { Body, Controller, Delete, Get, Param, Put, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DataSource, PagedList } from '@purview-emulator/contracts';
import { deleteAnswer } from '../common/delete-answer';
import { pagedList } from '../common/paging';
import { assertResourceName } from '../common/validation';
import { DataSourcesService } from './data-sources.service';
import { parseDataSourceBody } from './scanning-input';
import { RequireRoles } from '../identity/require-roles.decorator';
import { ACCESS } from '../identity/access-policy';

/** `/scan/datasources` (DataSources_*). */
@Controller('scan/datasources')
@RequireRoles(ACCESS.manageScanning)
export class DataSourcesController {
  constructor(private readonly dataSources: DataSourcesService) {}

  @Get()
  @RequireRoles(ACCESS.readScanning)
  list(@Req() request: FastifyRequest): Promise<PagedList<DataSource>> {
    return pagedList(request, (skip, take) => this.dataSources.list(skip, take));
  }

  @Get(':dataSourceName')
  @RequireRoles(ACCESS.readScanning)
  get(@Param('dataSourceName') name: string): Promise<DataSource> {
    return this.dataSources.get(name);
  }

  @Put(':dataSourceName')
  async createOrReplace(
    @Param('dataSourceName') name: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataSource> {
    assertResourceName(name, 'data source name');
    const { created, dataSource } = await this.dataSources.createOrReplace(name, parseDataSourceBody(body));
    void reply.status(created ? 201 : 200);
    return dataSource;
  }

  /** 204 on 2023-09-01; 200 with the deleted data source on earlier versions (deleteAnswer). */
  @Delete(':dataSourceName')
  async delete(
    @Param('dataSourceName') name: string,
    @Query('api-version') apiVersion: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataSource | undefined> {
    return deleteAnswer(reply, apiVersion, await this.dataSources.delete(name));
  }
}
