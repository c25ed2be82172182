import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import {
  AutoUpdateRequestSchema,
  AutoUpdateSettings,
  CompleteJobRequestSchema,
  NodeView,
  RemoteAccessRequestSchema,
  RemoteAccessSettings,
  HeartbeatRequestSchema,
  HeartbeatResponse,
  JobProgressRequestSchema,
  KnownEtagsRequestSchema,
  KnownEtagsResponse,
  LeaseJobsRequestSchema,
  LeaseJobsResponse,
  RegisterNodeRequestSchema,
  RegisterNodeResponse,
  RenewLeaseRequestSchema,
  RenewLeaseResponse,
} from '@purview-emulator/contracts';
import { parseBody } from '../common/validation';
import { AuthenticatedNode, NodeSessionsService } from './node-sessions.service';
import { ScanJobsService } from '../scanning/scan-jobs.service';
import { CurrentNode, NodeAuthGuard } from './node-auth.guard';
import { Public } from '../identity/authentication.decorators';

/** The runtime protocol (libs/contracts/src/runtime-protocol.ts): how self-hosted integration runtime nodes talk to the emulator. */
@Controller('_emulator/runtime')
export class RuntimeGatewayController {
  constructor(
    private readonly sessions: NodeSessionsService,
    private readonly jobs: ScanJobsService,
  ) {}

  // The auth key in the body is the credential; every other call carries the node credential (NodeAuthGuard).
  @Post('register')
  @HttpCode(200)
  @Public()
  register(@Body() body: unknown): Promise<RegisterNodeResponse> {
    return this.sessions.registerNode(parseBody(RegisterNodeRequestSchema, body));
  }

  @Post('heartbeat')
  @HttpCode(200)
  @UseGuards(NodeAuthGuard)
  heartbeat(@CurrentNode() node: AuthenticatedNode, @Body() body: unknown): Promise<HeartbeatResponse> {
    return this.sessions.heartbeat(node, parseBody(HeartbeatRequestSchema, body));
  }

  @Get('node')
  @UseGuards(NodeAuthGuard)
  node(@CurrentNode() node: AuthenticatedNode): Promise<NodeView> {
    return this.sessions.nodeView(node);
  }

  @Delete('node')
  @HttpCode(204)
  @UseGuards(NodeAuthGuard)
  async unregister(@CurrentNode() node: AuthenticatedNode): Promise<void> {
    await this.sessions.unregisterNode(node);
  }

  @Put('node/remote-access')
  @UseGuards(NodeAuthGuard)
  remoteAccess(@CurrentNode() node: AuthenticatedNode, @Body() body: unknown): Promise<RemoteAccessSettings> {
    return this.sessions.setRemoteAccess(node, parseBody(RemoteAccessRequestSchema, body));
  }

  @Put('auto-update')
  @UseGuards(NodeAuthGuard)
  autoUpdate(@CurrentNode() node: AuthenticatedNode, @Body() body: unknown): Promise<AutoUpdateSettings> {
    return this.sessions.setAutoUpdate(node, parseBody(AutoUpdateRequestSchema, body).autoUpdate);
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
  renew(
    @CurrentNode() node: AuthenticatedNode,
    @Param('jobId') jobId: string,
    @Body() body: unknown,
  ): Promise<RenewLeaseResponse> {
    return this.jobs.renewLease(node, jobId, parseBody(RenewLeaseRequestSchema, body).leaseId);
  }

  @Post('jobs/:jobId/known-etags')
  @HttpCode(200)
  @UseGuards(NodeAuthGuard)
  knownEtags(
    @CurrentNode() node: AuthenticatedNode,
    @Param('jobId') jobId: string,
    @Body() body: unknown,
  ): Promise<KnownEtagsResponse> {
    return this.jobs.knownEtags(node, jobId, parseBody(KnownEtagsRequestSchema, body));
  }

  @Post('jobs/:jobId/progress')
  @HttpCode(204)
  @UseGuards(NodeAuthGuard)
  async progress(
    @CurrentNode() node: AuthenticatedNode,
    @Param('jobId') jobId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.jobs.reportProgress(node, jobId, parseBody(JobProgressRequestSchema, body));
  }

  @Post('jobs/:jobId/complete')
  @HttpCode(204)
  @UseGuards(NodeAuthGuard)
  async complete(
    @CurrentNode() node: AuthenticatedNode,
    @Param('jobId') jobId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.jobs.completeJob(node, jobId, parseBody(CompleteJobRequestSchema, body));
  }
}
