import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PurviewError } from '../common/errors';
import { abbreviate } from '../common/validation';
import { Clock } from '../common/clock';
import { RequireRoles } from '../identity/require-roles.decorator';
import { ACCESS } from '../identity/access-policy';
import { ScanTriggersService, TriggerOfScan } from './scan-triggers.service';
import { parseTriggerBody } from './trigger-input';
import { toTriggerResponse } from './trigger-view';

type QueryParams = Record<string, string | undefined>;

/**
 * `/scan/datasources/{ds}/scans/{scan}/triggers/default` (Triggers_*): GET, PUT (201 created / 200 replaced),
 * DELETE (204), and POST `…/triggers/default:enable` / `:disable` (which arrive as `…/default/-/enable`,
 * common/url-rewrite.ts) answering the trigger. `default` is the only trigger name a scan has.
 */
@Controller('scan/datasources/:dataSourceName/scans/:scanName/triggers/:triggerName')
@RequireRoles(ACCESS.manageScanning)
export class ScanTriggersController {
  constructor(
    private readonly triggers: ScanTriggersService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @RequireRoles(ACCESS.readScanning)
  async get(
    @Param('dataSourceName') ds: string,
    @Param('scanName') scan: string,
    @Param('triggerName') name: string,
    @Query() query: QueryParams,
  ): Promise<unknown> {
    assertDefault(name);
    return view(await this.triggers.get(ds, scan), query);
  }

  @Put()
  async createOrReplace(
    @Param('dataSourceName') ds: string,
    @Param('scanName') scan: string,
    @Param('triggerName') name: string,
    @Body() body: unknown,
    @Query() query: QueryParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    assertDefault(name);
    const saved = await this.triggers.createOrReplace(ds, scan, parseTriggerBody(body, this.clock.iso()));
    void reply.status(saved.created ? 201 : 200);
    return view(saved, query);
  }

  @Delete()
  @HttpCode(204)
  async delete(
    @Param('dataSourceName') ds: string,
    @Param('scanName') scan: string,
    @Param('triggerName') name: string,
  ): Promise<void> {
    assertDefault(name);
    await this.triggers.delete(ds, scan);
  }

  @Post('-/enable')
  @HttpCode(200)
  async enable(
    @Param('dataSourceName') ds: string,
    @Param('scanName') scan: string,
    @Param('triggerName') name: string,
    @Query() query: QueryParams,
  ): Promise<unknown> {
    assertDefault(name);
    return view(await this.triggers.setState(ds, scan, 'Enabled'), query);
  }

  @Post('-/disable')
  @HttpCode(200)
  async disable(
    @Param('dataSourceName') ds: string,
    @Param('scanName') scan: string,
    @Param('triggerName') name: string,
    @Query() query: QueryParams,
  ): Promise<unknown> {
    assertDefault(name);
    return view(await this.triggers.setState(ds, scan, 'Disabled'), query);
  }
}

function view(found: TriggerOfScan, query: QueryParams): unknown {
  return toTriggerResponse(found.trigger, found.dataSourceName, found.scanName, query['api-version'] || undefined);
}

function assertDefault(name: string): void {
  if (name.toLowerCase() !== 'default') {
    throw PurviewError.notFound(
      "Trigger (a scan has one trigger, named 'default': …/triggers/default)",
      abbreviate(name),
      'TriggerNotFound',
    );
  }
}
