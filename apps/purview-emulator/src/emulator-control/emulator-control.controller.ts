import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { EmulatorControlService, HealthReport } from './emulator-control.service';

@Controller('_emulator')
export class EmulatorControlController {
  constructor(private readonly control: EmulatorControlService) {}

  /** Unauthenticated readiness: 503 until the database and ingestion storage are ready, then 200. */
  @Get('health')
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const report = await this.control.health();
    void reply.status(report.status === 'Healthy' ? 200 : 503);
    return report;
  }

  @Get('info')
  info(): Record<string, unknown> {
    return this.control.info();
  }
}
