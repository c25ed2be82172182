import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { EmulatorInfo } from '@purview-emulator/contracts';
import { z } from 'zod';
import { parseBody } from '../common/validation';
import { Public } from '../identity/authentication.decorators';
import { ACCESS } from '../identity/access-policy';
import { RequireRoles } from '../identity/require-roles.decorator';
import { ClockState, EmulatorClockService } from './emulator-clock.service';
import { EmulatorControlService, HealthReport } from './emulator-control.service';
import { EmulatorResetService, ResetReport } from './emulator-reset.service';

const SetClockSchema = z
  .object({
    now: z.string().optional(),
    offsetSeconds: z.number().finite().optional(),
    advanceSeconds: z.number().finite().optional(),
  })
  .strict()
  .refine((b) => [b.now, b.offsetSeconds, b.advanceSeconds].filter((v) => v !== undefined).length === 1, {
    message: 'send exactly one of now, offsetSeconds, advanceSeconds',
  });

@Controller('_emulator')
export class EmulatorControlController {
  constructor(
    private readonly control: EmulatorControlService,
    private readonly clock: EmulatorClockService,
    private readonly resets: EmulatorResetService,
  ) {}

  /** Back to an empty account (`?keep=integrationRuntimes` keeps runtimes, keys and registered nodes): an admin's call. */
  @Post('reset')
  @HttpCode(200)
  @RequireRoles(ACCESS.controlEmulator)
  reset(@Query('keep') keep?: string): Promise<ResetReport> {
    return this.resets.reset(keep);
  }

  /** Unauthenticated readiness: 503 until the database and ingestion storage are ready, then 200. */
  @Get('health')
  @Public()
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const report = await this.control.health();
    void reply.status(report.status === 'Healthy' ? 200 : 503);
    return report;
  }

  @Get('info')
  @Public()
  async info(): Promise<EmulatorInfo> {
    return { ...this.control.info(), rows: await this.resets.rowCounts() };
  }

  /** The emulator clock: node liveness, version expiry, leases, tokens and interactive authoring all read it. */
  @Get('clock')
  @Public()
  getClock(): ClockState {
    return this.clock.state();
  }

  // Moving the clock expires every token and every node: an admin's call.
  @Put('clock')
  @RequireRoles(ACCESS.controlEmulator)
  setClock(@Body() body: unknown): Promise<ClockState> {
    return this.clock.set(parseBody(SetClockSchema, body));
  }

  @Delete('clock')
  @RequireRoles(ACCESS.controlEmulator)
  resetClock(): Promise<ClockState> {
    return this.clock.reset();
  }
}
