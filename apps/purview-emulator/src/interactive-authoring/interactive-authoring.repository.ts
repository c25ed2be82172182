import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { InteractiveAuthoringEntity } from './interactive-authoring.entity';
import { PreparedRead } from '../database/prepared-read';

/** All SQL for the interactive-authoring switch of each integration runtime. */
@Injectable()
export class InteractiveAuthoringRepository {
  constructor(
    @InjectRepository(InteractiveAuthoringEntity) private readonly states: Repository<InteractiveAuthoringEntity>,
  ) {
    // Read by every `/status`: prepared once (see PreparedRead).
    this.byRuntime = new PreparedRead(
      states.manager.connection,
      InteractiveAuthoringEntity,
      'integration_runtime_id = ?',
    );
  }

  private readonly byRuntime: PreparedRead<InteractiveAuthoringEntity>;

  stateOf(integrationRuntimeId: string): Promise<InteractiveAuthoringEntity | null> {
    return Promise.resolve(this.byRuntime.one(integrationRuntimeId));
  }

  async save(state: InteractiveAuthoringEntity): Promise<void> {
    await this.states.save(state);
  }

  async disable(integrationRuntimeId: string, disabledAt: string): Promise<void> {
    await this.states.update({ integrationRuntimeId }, { enabled: false, disabledAt });
  }
}
