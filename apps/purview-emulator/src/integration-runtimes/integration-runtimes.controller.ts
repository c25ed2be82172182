import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  AUTH_KEY_NAMES,
  IntegrationRuntime,
  IntegrationRuntimeAuthKeys,
  IntegrationRuntimeMonitoringData,
  PagedList,
  SelfHostedIntegrationRuntimeNode,
  SelfHostedIntegrationRuntimeStatus,
} from '@purview-emulator/contracts';
import { PurviewError } from '../common/errors';
import { SCANNING_BODY_BOUNDS, abbreviate, assertResourceName, parseBody } from '../common/validation';
import { pagedList } from '../common/paging';
import { IntegrationRuntimesService } from './integration-runtimes.service';
import { RequireRoles } from '../identity/require-roles.decorator';
import { ACCESS } from '../identity/access-policy';

const CreateOrReplaceSchema = z
  .object({
    kind: z.string({ required_error: "'kind' is required: SelfHosted" }),
    properties: z
      .object({ description: z.string().max(2000).optional().nullable() })
      .passthrough()
      .optional(),
  })
  .passthrough();

const RegenerateSchema = z.object({
  keyName: z.enum(AUTH_KEY_NAMES, { errorMap: () => ({ message: "keyName must be 'authKey1' or 'authKey2'" }) }),
});

const UpdateNodeSchema = z
  .object({
    concurrentJobsLimit: z
      .number({ invalid_type_error: 'concurrentJobsLimit must be an integer' })
      .int('concurrentJobsLimit must be an integer')
      .optional(),
  })
  .passthrough();

/** `/scan/integrationruntimes`: every spelling of every operation real clients use. */
// Managing (writes, keys, nodes) is the default, so routes added here are admin-only unless marked as reads.
@Controller('scan/integrationruntimes')
@RequireRoles(ACCESS.manageIntegrationRuntimes)
export class IntegrationRuntimesController {
  constructor(private readonly runtimes: IntegrationRuntimesService) {}

  @Get()
  @RequireRoles(ACCESS.readIntegrationRuntimes)
  list(@Req() request: FastifyRequest): Promise<PagedList<IntegrationRuntime>> {
    return pagedList(request, (skip, take) => this.runtimes.list(skip, take));
  }

  @Get(':name')
  @RequireRoles(ACCESS.readIntegrationRuntimes)
  get(@Param('name') name: string): Promise<IntegrationRuntime> {
    return this.runtimes.get(name);
  }

  @Put(':name')
  async createOrReplace(
    @Param('name') name: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IntegrationRuntime> {
    assertResourceName(name, 'integration runtime name');
    const request = parseBody(CreateOrReplaceSchema, body, 'InvalidRequestBody', SCANNING_BODY_BOUNDS);
    if (request.kind !== 'SelfHosted') {
      throw PurviewError.badRequest(
        request.kind === 'Managed'
          ? "Managed integration runtimes run in Purview's managed virtual network, and the emulator has no network to manage (managed virtual networks and private endpoints are stored only); it supports kind SelfHosted."
          : `Unknown integration runtime kind '${abbreviate(request.kind)}'; expected SelfHosted.`,
        'InvalidKind',
        'kind',
      );
    }
    const { created, runtime } = await this.runtimes.createOrReplace(
      name,
      'SelfHosted',
      request.properties?.description ?? undefined,
    );
    void reply.status(created ? 201 : 200);
    return runtime;
  }

  @Delete(':name')
  @HttpCode(204)
  async delete(@Param('name') name: string): Promise<void> {
    await this.runtimes.delete(name);
  }

  @Get(':name/status')
  @RequireRoles(ACCESS.readIntegrationRuntimes)
  status(@Param('name') name: string): Promise<SelfHostedIntegrationRuntimeStatus> {
    return this.runtimes.status(name);
  }

  @Post(':name/-/listAuthKeys')
  @HttpCode(200)
  listAuthKeys(@Param('name') name: string): Promise<IntegrationRuntimeAuthKeys> {
    return this.runtimes.listAuthKeys(name);
  }

  @Post(':name/-/regenerateAuthKey')
  @HttpCode(200)
  regenerateAuthKey(@Param('name') name: string, @Body() body: unknown): Promise<IntegrationRuntimeAuthKeys> {
    return this.runtimes.regenerateAuthKey(name, parseBody(RegenerateSchema, body).keyName);
  }

  // Node operations: dropped from the published 2023-09-01 spec but in its draft and in ADF; clients still use them.
  @Get(':name/nodes/:nodeName')
  getNode(@Param('name') name: string, @Param('nodeName') nodeName: string): Promise<SelfHostedIntegrationRuntimeNode> {
    return this.runtimes.getNode(name, nodeName);
  }

  @Patch(':name/nodes/:nodeName')
  updateNode(
    @Param('name') name: string,
    @Param('nodeName') nodeName: string,
    @Body() body: unknown,
  ): Promise<SelfHostedIntegrationRuntimeNode> {
    return this.runtimes.updateNode(name, nodeName, parseBody(UpdateNodeSchema, body).concurrentJobsLimit);
  }

  @Delete(':name/nodes/:nodeName')
  @HttpCode(200)
  deleteNode(
    @Param('name') name: string,
    @Param('nodeName') nodeName: string,
  ): Promise<{ nodeName: string; machineName: string }> {
    return this.runtimes.deleteNode(name, nodeName);
  }

  // The Purview draft spells it GET, ADF POST. Live figures are a read, like /status.
  @Get(':name/monitoringData')
  @RequireRoles(ACCESS.readIntegrationRuntimes)
  monitoringData(@Param('name') name: string): Promise<IntegrationRuntimeMonitoringData> {
    return this.runtimes.monitoringData(name);
  }

  @Post(':name/monitoringData')
  @HttpCode(200)
  @RequireRoles(ACCESS.readIntegrationRuntimes)
  monitoringDataPost(@Param('name') name: string): Promise<IntegrationRuntimeMonitoringData> {
    return this.runtimes.monitoringData(name);
  }
}
