import { Body, Controller, Get, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  DEFAULT_SCANNING_API_VERSION,
  OperationResponse,
  PagedList,
  ScanResultWithIngestion,
} from '@purview-emulator/contracts';
import { baseUrlOf, pagedList } from '../common/paging';
import { SCANNING_BODY_BOUNDS, parseBody } from '../common/validation';
import { AcceptedRun, ScanRunsService } from './scan-runs.service';
import { RunScanBodySchema, assertRunId, parseScanLevel } from './scanning-input';
import { RequireRoles } from '../identity/require-roles.decorator';
import { ACCESS } from '../identity/access-policy';

/** History pages hold 50 runs unless `$top` says otherwise. */
const RUN_PAGE_SIZE = 50;

type QueryParams = Record<string, string | undefined>;

/**
 * Scan runs (ScanResult_*), in every spelling clients use:
 *   PUT  …/runs/{runId}?scanLevel=            2023-09-01 and the JS client (client-generated id)
 *   POST …/run      body {scanLevel}          2022-07-01-preview Scans_Run, purviewcli (server-generated id)
 *   POST …:run?runId=                         colon spelling of the same (id optional)
 *   POST …/runs/{runId}:cancel | /:cancel     both arrive as …/runs/{runId}/-/cancel (common/url-rewrite.ts)
 * Run and cancel answer 202 with Operation-Location pointing at the run's status URL.
 */
@Controller('scan/datasources/:dataSourceName/scans/:scanName')
@RequireRoles(ACCESS.manageScanning)
export class ScanRunsController {
  constructor(private readonly runs: ScanRunsService) {}

  @Put('runs/:runId')
  async runWithId(
    @Param('dataSourceName') ds: string,
    @Param('scanName') scan: string,
    @Param('runId') runId: string,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OperationResponse> {
    assertRunId(runId);
    return accepted(request, reply, await this.runs.start(ds, scan, runId, parseScanLevel(query.scanLevel)));
  }

  @Post('run')
  async run(
    @Param('dataSourceName') ds: string,
    @Param('scanName') scan: string,
    @Body() body: unknown,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OperationResponse> {
    const parsed = parseBody(RunScanBodySchema, body, 'InvalidRequestBody', SCANNING_BODY_BOUNDS);
    return accepted(
      request,
      reply,
      await this.runs.start(ds, scan, undefined, parseScanLevel(parsed.scanLevel ?? query.scanLevel)),
    );
  }

  @Post('-/run')
  async runAction(
    @Param('dataSourceName') ds: string,
    @Param('scanName') scan: string,
    @Body() body: unknown,
    @Query() query: QueryParams,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OperationResponse> {
    const parsed = parseBody(RunScanBodySchema, body, 'InvalidRequestBody', SCANNING_BODY_BOUNDS);
    if (query.runId !== undefined) assertRunId(query.runId);
    return accepted(
      request,
      reply,
      await this.runs.start(ds, scan, query.runId || undefined, parseScanLevel(parsed.scanLevel ?? query.scanLevel)),
    );
  }

  @Get('runs')
  @RequireRoles(ACCESS.readScanning)
  list(
    @Param('dataSourceName') ds: string,
    @Param('scanName') scan: string,
    @Req() request: FastifyRequest,
  ): Promise<PagedList<ScanResultWithIngestion>> {
    return pagedList(request, (skip, take) => this.runs.list(ds, scan, skip, take), RUN_PAGE_SIZE);
  }

  @Get('runs/:runId')
  @RequireRoles(ACCESS.readScanning)
  get(
    @Param('dataSourceName') ds: string,
    @Param('scanName') scan: string,
    @Param('runId') runId: string,
  ): Promise<ScanResultWithIngestion> {
    assertRunId(runId);
    return this.runs.get(ds, scan, runId);
  }

  @Post('runs/:runId/-/cancel')
  async cancel(
    @Param('dataSourceName') ds: string,
    @Param('scanName') scan: string,
    @Param('runId') runId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OperationResponse> {
    assertRunId(runId);
    return accepted(request, reply, await this.runs.cancel(ds, scan, runId));
  }
}

function accepted(request: FastifyRequest, reply: FastifyReply, run: AcceptedRun): OperationResponse {
  const apiVersion = (request.query as QueryParams | undefined)?.['api-version'] || DEFAULT_SCANNING_API_VERSION;
  const path = `/scan/datasources/${encodeURIComponent(run.dataSourceName)}/scans/${encodeURIComponent(run.scanName)}/runs/${run.runId}`;
  void reply
    .status(202)
    .header('Operation-Location', `${baseUrlOf(request)}${path}?api-version=${encodeURIComponent(apiVersion)}`);
  return run.operation;
}
