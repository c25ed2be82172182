import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../identity/authentication.decorators';
import { EmulatorMetrics } from './emulator-metrics';

@Controller('_emulator')
export class MetricsController {
  constructor(private readonly metrics: EmulatorMetrics) {}

  /**
   * Prometheus text format. Public, like `/_emulator/health`: a Prometheus server scrapes without Entra tokens, and
   * the figures name routes and counts, never data or secrets.
   */
  @Get('metrics')
  @Public()
  async metricsText(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const { contentType, text } = await this.metrics.scrape();
    void reply.header('content-type', contentType);
    return text;
  }
}
