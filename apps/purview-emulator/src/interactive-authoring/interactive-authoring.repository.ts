import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { InteractiveAuthoringEntity } from './interactive-authoring.entity';

/** All SQL for the interactive-authoring switch of each integration runtime. */
@Injectable()
export class InteractiveAuthoringRepository {
  constructor(
    @InjectRepository(InteractiveAuthoringEntity) private readonly states: Repository<InteractiveAuthoringEntity>,
  ) {}

  stateOf(integrationRuntimeId: string): Promise<InteractiveAuthoringEntity | null> {
    return this.states.findOneBy({ integrationRuntimeId });
  }

  async save(state: InteractiveAuthoringEntity): Promise<void> {
    await this.states.save(state);
  }

  async disable(integrationRuntimeId: string, disabledAt: string): Promise<void> {
    await this.states.update({ integrationRuntimeId }, { enabled: false, disabledAt });
  }
}
