import { Body, Controller, Delete, Get, HttpCode, Param, Put, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ManagedPrivateEndpointBodySchema,
  type ManagedPrivateEndpoint,
  ManagedVirtualNetworkBodySchema,
  type ManagedVirtualNetwork,
  type PagedList,
} from '@purview-emulator/contracts';
import { pagedList } from '../common/paging';
import { SCANNING_BODY_BOUNDS, parseBody } from '../common/validation';
import { ACCESS } from '../identity/access-policy';
import { RequireRoles } from '../identity/require-roles.decorator';
import { ManagedNetworksService } from './managed-networks.service';

/** `/scan/managedvirtualnetworks` (ManagedVirtualNetworks_*, ManagedPrivateEndpoints_*). */
@Controller('scan/managedvirtualnetworks')
@RequireRoles(ACCESS.manageScanning)
export class ManagedNetworksController {
  constructor(private readonly networks: ManagedNetworksService) {}

  @Get()
  @RequireRoles(ACCESS.readScanning)
  list(@Req() request: FastifyRequest): Promise<PagedList<ManagedVirtualNetwork>> {
    return pagedList(request, (skip, take) => this.networks.listNetworks(skip, take));
  }

  @Get(':managedVirtualNetworkName')
  @RequireRoles(ACCESS.readScanning)
  get(@Param('managedVirtualNetworkName') name: string): Promise<ManagedVirtualNetwork> {
    return this.networks.getNetwork(name);
  }

  @Put(':managedVirtualNetworkName')
  async createOrReplace(
    @Param('managedVirtualNetworkName') name: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ManagedVirtualNetwork> {
    parseBody(ManagedVirtualNetworkBodySchema, body, 'InvalidRequestBody', SCANNING_BODY_BOUNDS);
    const { created, value } = await this.networks.createOrReplaceNetwork(name);
    void reply.status(created ? 201 : 200);
    return value;
  }

  @Get(':managedVirtualNetworkName/managedprivateendpoints')
  @RequireRoles(ACCESS.readScanning)
  listEndpoints(
    @Param('managedVirtualNetworkName') network: string,
    @Req() request: FastifyRequest,
  ): Promise<PagedList<ManagedPrivateEndpoint>> {
    return pagedList(request, (skip, take) => this.networks.listEndpoints(network, skip, take));
  }

  @Get(':managedVirtualNetworkName/managedprivateendpoints/:managedPrivateEndpointName')
  @RequireRoles(ACCESS.readScanning)
  getEndpoint(
    @Param('managedVirtualNetworkName') network: string,
    @Param('managedPrivateEndpointName') name: string,
  ): Promise<ManagedPrivateEndpoint> {
    return this.networks.getEndpoint(network, name);
  }

  @Put(':managedVirtualNetworkName/managedprivateendpoints/:managedPrivateEndpointName')
  async createOrReplaceEndpoint(
    @Param('managedVirtualNetworkName') network: string,
    @Param('managedPrivateEndpointName') name: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ManagedPrivateEndpoint> {
    const parsed = parseBody(ManagedPrivateEndpointBodySchema, body, 'InvalidRequestBody', SCANNING_BODY_BOUNDS);
    const { created, value } = await this.networks.createOrReplaceEndpoint(network, name, parsed);
    void reply.status(created ? 201 : 200);
    return value;
  }

  @Delete(':managedVirtualNetworkName/managedprivateendpoints/:managedPrivateEndpointName')
  @HttpCode(204)
  async deleteEndpoint(
    @Param('managedVirtualNetworkName') network: string,
    @Param('managedPrivateEndpointName') name: string,
  ): Promise<void> {
    await this.networks.deleteEndpoint(network, name);
  }
}
