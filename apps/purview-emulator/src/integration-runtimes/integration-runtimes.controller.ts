import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AUTH_KEY_NAMES, IntegrationRuntime, IntegrationRuntimeAuthKeys, PagedList, SelfHostedIntegrationRuntimeStatus } from '@purview-emulator/contracts';
import { PurviewError } from '../common/errors';
import { assertResourceName, parseBody } from '../common/validation';
import { pagedList } from '../common/paging';
import { IntegrationRuntimesService } from './integration-runtimes.service';

const CreateOrReplaceSchema = z.object({
  kind: z.string({ required_error: "'kind' is required: SelfHosted" }),
  properties: z.object({ description: z.string().max(2000).optional().nullable() }).passthrough().optional(),
}).passthrough();

const RegenerateSchema = z.object({
  keyName: z.enum(AUTH_KEY_NAMES, { errorMap: () => ({ message: "keyName must be 'authKey1' or 'authKey2'" }) }),
});

/** `/scan/integrationruntimes`: every spelling of every operation real clients use. */
@Controller('scan/integrationruntimes')
export class IntegrationRuntimesController {
  constructor(private readonly runtimes: IntegrationRuntimesService) {}

  @Get()
  list(@Req() request: FastifyRequest): Promise<PagedList<IntegrationRuntime>> {
    return pagedList(request, (skip, take) => this.runtimes.list(skip, take));
  }

  @Get(':name')
  get(@Param('name') name: string): Promise<IntegrationRuntime> {
    return this.runtimes.get(name);
  }

  @Put(':name')
  async createOrReplace(@Param('name') name: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<IntegrationRuntime> {
    assertResourceName(name, 'integration runtime name');
    const request = parseBody(CreateOrReplaceSchema, body);
    if (request.kind !== 'SelfHosted') {
      throw PurviewError.badRequest(
        request.kind === 'Managed'
          ? 'Managed integration runtimes are created by Purview with a managed virtual network; the emulator supports kind SelfHosted.'
          : `Unknown integration runtime kind '${request.kind}'; expected SelfHosted.`,
        'InvalidKind',
        'kind',
      );
    }
    const { created, runtime } = await this.runtimes.createOrReplace(name, 'SelfHosted', request.properties?.description ?? undefined);
    void reply.status(created ? 201 : 200);
    return runtime;
  }

  @Delete(':name')
  @HttpCode(204)
  async delete(@Param('name') name: string): Promise<void> {
    await this.runtimes.delete(name);
  }

  @Get(':name/status')
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
}
