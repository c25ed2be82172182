import { Body, Controller, Get, Param, Put, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import {
  type IntegrationRuntimeRelay,
  type RelayListenerConnection,
  UpdateIntegrationRuntimeRelaySchema,
} from '@purview-emulator/contracts';
import { parseBody } from '../common/validation';
import { ACCESS } from '../identity/access-policy';
import { RequireRoles } from '../identity/require-roles.decorator';
import type { AuthenticatedNode } from '../runtime-gateway/node-sessions.service';
import { CurrentNode, NodeAuthGuard } from '../runtime-gateway/node-auth.guard';
import { RelayHub } from './relay-hub.service';

/** Scheme and host the caller used: relay URLs must be reachable the way the caller reached us. */
export function baseUrlOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/**
 * Emulator extension: an integration runtime's hybrid connection, so tools and tests can listen or send on it
 * like its nodes do. Bearer token with Data Source Admin (it hands out a SAS key).
 */
@Controller('_emulator/integrationruntimes/:name/relay')
@RequireRoles(ACCESS.manageIntegrationRuntimes)
export class RelayController {
  constructor(private readonly hub: RelayHub) {}

  @Get()
  get(@Param('name') name: string, @Req() request: FastifyRequest): Promise<IntegrationRuntimeRelay> {
    return this.hub.describe(name, baseUrlOf(request));
  }

  /** `{"enabled": false}` disables the hybrid connection, as Azure can: listeners are closed with 1001 and refused. */
  @Put()
  update(
    @Param('name') name: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<IntegrationRuntimeRelay> {
    return this.hub.setEnabled(name, parseBody(UpdateIntegrationRuntimeRelaySchema, body).enabled, baseUrlOf(request));
  }
}

/** Runtime protocol: where and with what token a node listens on its integration runtime's hybrid connection. */
@Controller('_emulator/runtime/relay')
export class RuntimeRelayController {
  constructor(private readonly hub: RelayHub) {}

  @Get()
  @UseGuards(NodeAuthGuard)
  get(@CurrentNode() node: AuthenticatedNode, @Req() request: FastifyRequest): Promise<RelayListenerConnection> {
    return this.hub.listenerConnection(node, baseUrlOf(request));
  }
}
