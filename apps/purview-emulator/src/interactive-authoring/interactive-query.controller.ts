import { Body, Controller, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InteractiveQueryRequestSchema } from '@purview-emulator/contracts';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { parseBody } from '../common/validation';
import { ACCESS } from '../identity/access-policy';
import { RequireRoles } from '../identity/require-roles.decorator';
import { InteractiveAuthoringService } from './interactive-authoring.service';

/**
 * `:enableInteractiveQuery` / `:disableInteractiveQuery` (2023-09-01), also in the older spelling without a colon
 * (`/{name}/enableInteractiveQuery`). The colon spellings arrive here as `/{name}/-/action` (see url-rewrite).
 */
@Controller('scan/integrationruntimes')
@RequireRoles(ACCESS.manageIntegrationRuntimes)
export class InteractiveQueryController {
  constructor(
    @Inject(EMULATOR_CONFIG) private readonly config: EmulatorConfig,
    private readonly interactive: InteractiveAuthoringService,
  ) {}

  /** 202 `{}` as the spec's example; Operation-Location points at the status, where `interactiveQuery` shows the result. */
  @Post([':name/-/enableInteractiveQuery', ':name/enableInteractiveQuery'])
  @HttpCode(202)
  async enable(
    @Param('name') name: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, never>> {
    const { autoTerminationMinutes } = parseBody(InteractiveQueryRequestSchema, body);
    await this.interactive.enable(name, autoTerminationMinutes);
    const version = (request.query as Record<string, string | undefined>)['api-version'] ?? '2023-09-01';
    void reply.header(
      'operation-location',
      `${this.config.publicUrl}/scan/integrationruntimes/${encodeURIComponent(name)}/status?api-version=${encodeURIComponent(version)}`,
    );
    return {};
  }

  @Post([':name/-/disableInteractiveQuery', ':name/disableInteractiveQuery'])
  @HttpCode(200)
  async disable(@Param('name') name: string): Promise<void> {
    await this.interactive.disable(name);
  }
}
