import { Injectable, OnModuleInit } from '@nestjs/common';
import type { IntegrationRuntimeReference, InteractiveQueryStatus } from '@purview-emulator/contracts';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { IntegrationRuntimeDirectory } from '../integration-runtimes/integration-runtime-directory';
import { InteractiveAuthoringEntity } from './interactive-authoring.entity';
import { InteractiveAuthoringRepository } from './interactive-authoring.repository';
import { interactiveStatusOf } from './interactive-state';

/** The interactive-authoring switch of each integration runtime, with its auto-termination on the emulator clock. */
@Injectable()
export class InteractiveAuthoringService implements OnModuleInit {
  constructor(
    private readonly states: InteractiveAuthoringRepository,
    private readonly runtimes: IntegrationRuntimeDirectory,
    private readonly clock: Clock,
  ) {}

  /** `/status` shows `typeProperties.interactiveQuery`, the spec's field, without the IR module knowing this one. */
  onModuleInit(): void {
    this.runtimes.addStatusExtension(async (ir) => ({
      interactiveQuery: interactiveStatusOf(await this.states.stateOf(ir.id), this.clock.nowMs()),
    }));
  }

  /** Switches it on for `minutes` from now; enabling again restarts the countdown with the new value. */
  async enable(runtimeName: string, minutes: number): Promise<InteractiveQueryStatus> {
    const ir = await this.runtimes.requireRuntime(runtimeName);
    const now = this.clock.nowMs();
    const state: InteractiveAuthoringEntity = {
      integrationRuntimeId: ir.id,
      enabled: true,
      autoTerminationMinutes: minutes,
      enabledAt: new Date(now).toISOString(),
      expiresAt: new Date(now + minutes * 60_000).toISOString(),
      disabledAt: null,
    };
    await this.states.save(state);
    return interactiveStatusOf(state, now);
  }

  /** Idempotent: disabling what is off changes nothing. */
  async disable(runtimeName: string): Promise<void> {
    const ir = await this.runtimes.requireRuntime(runtimeName);
    const state = await this.states.stateOf(ir.id);
    if (!state || interactiveStatusOf(state, this.clock.nowMs()).status === 'Disabled') return;
    await this.states.disable(ir.id, this.clock.iso());
  }

  /** 409 unless interactive authoring is on, with how to switch it on. */
  async requireEnabled(ir: IntegrationRuntimeReference): Promise<void> {
    const status = interactiveStatusOf(await this.states.stateOf(ir.id), this.clock.nowMs());
    if (status.status === 'Enabled') return;
    throw PurviewError.conflict(
      `Interactive authoring is disabled on integration runtime '${ir.name}'. ${status.disabledReason} Enable it with POST /scan/integrationruntimes/${ir.name}:enableInteractiveQuery and the body {"autoTerminationMinutes": 60}, then try again.`,
      'InteractiveAuthoringDisabled',
    );
  }
}
