import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import {
  CompleteJobRequestSchema,
  HeartbeatRequestSchema,
  HeartbeatResponse,
  JobProgressRequestSchema,
  LeaseJobsRequestSchema,
  LeaseJobsResponse,
  RegisterNodeRequestSchema,
  RegisterNodeResponse,
  RenewLeaseRequestSchema,
  RenewLeaseResponse,
} from '@purview-emulator/contracts';
import { parseBody } from '../common/validation';
import { AuthenticatedNode, IntegrationRuntimesService } from '../integration-runtimes/integration-runtimes.service';
import { ScanJobsService } from '../scanning/scan-jobs.service';
import { CurrentNode, NodeAuthGuard } from './node-auth.guard';

/** The runtime protocol (libs/contracts/src/runtime-protocol.ts): how self-hosted integration runtime nodes talk to the emulator. */
@Controller('_emulator/runtime')
export class RuntimeGatewayController {
  constructor(
    private readonly runtimes: IntegrationRuntimesService,
    private readonly jobs: ScanJobsService,
  ) {}

  @Post('register')
  @HttpCode(200)
  register(@Body() body: unknown): Promise<RegisterNodeResponse> {
    return this.runtimes.registerNode(parseBody(RegisterNodeRequestSchema, body));
  }

  @Post('heartbeat')
  @HttpCode(200)
  @UseGuards(NodeAuthGuard)
  async heartbeat(@CurrentNode() node: AuthenticatedNode, @Body() body: unknown): Promise<HeartbeatResponse> {
    const result = await this.runtimes.heartbeat(node, parseBody(HeartbeatRequestSchema, body));
    return { ...result, ...this.runtimes.intervals() };
  }

  @Post('jobs/lease')
  @HttpCode(200)
  @UseGuards(NodeAuthGuard)
  async lease(@CurrentNode() node: AuthenticatedNode, @Body() body: unknown): Promise<LeaseJobsResponse> {
    const request = parseBody(LeaseJobsRequestSchema, body);
    return { jobs: await this.jobs.leaseJobs(node, request.maxJobs, request.waitSeconds) };
  }

  @Post('jobs/:jobId/renew')
  @HttpCode(200)
  @UseGuards(NodeAuthGuard)
  renew(@CurrentNode() node: AuthenticatedNode, @Param('jobId') jobId: string, @Body() body: unknown): Promise<RenewLeaseResponse> {
    return this.jobs.renewLease(node, jobId, parseBody(RenewLeaseRequestSchema, body).leaseId);
  }

  @Post('jobs/:jobId/progress')
  @HttpCode(204)
  @UseGuards(NodeAuthGuard)
  async progress(@CurrentNode() node: AuthenticatedNode, @Param('jobId') jobId: string, @Body() body: unknown): Promise<void> {
    await this.jobs.reportProgress(node, jobId, parseBody(JobProgressRequestSchema, body));
  }

  @Post('jobs/:jobId/complete')
  @HttpCode(204)
  @UseGuards(NodeAuthGuard)
  async complete(@CurrentNode() node: AuthenticatedNode, @Param('jobId') jobId: string, @Body() body: unknown): Promise<void> {
    await this.jobs.completeJob(node, jobId, parseBody(CompleteJobRequestSchema, body));
  }
}
