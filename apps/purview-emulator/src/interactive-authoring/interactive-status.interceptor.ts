import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, mergeMap } from 'rxjs';
import type { SelfHostedIntegrationRuntimeStatus } from '@purview-emulator/contracts';
import { IntegrationRuntimesController } from '../integration-runtimes/integration-runtimes.controller';
import { InteractiveAuthoringService } from './interactive-authoring.service';

/**
 * Adds `typeProperties.interactiveQuery` ({status, autoTerminationMinutes}, the spec's field) to
 * `GET /scan/integrationruntimes/{name}/status`, so the integration-runtimes module need not know this one.
 */
@Injectable()
export class InteractiveStatusInterceptor implements NestInterceptor {
  constructor(private readonly interactive: InteractiveAuthoringService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http' || context.getClass() !== IntegrationRuntimesController || context.getHandler() !== IntegrationRuntimesController.prototype.status) {
      return next.handle();
    }
    return next.handle().pipe(
      mergeMap(async (body: SelfHostedIntegrationRuntimeStatus) => {
        const interactiveQuery = body?.name ? await this.interactive.statusOf(body.name) : undefined;
        if (!interactiveQuery || !body.properties?.typeProperties) return body;
        return { ...body, properties: { ...body.properties, typeProperties: { ...body.properties.typeProperties, interactiveQuery } } };
      }),
    );
  }
}
