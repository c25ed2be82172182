import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { TransactionRunner } from '../database/transaction-runner';
import { HybridConnectionEntity } from './hybrid-connection.entity';

/** All SQL for the relay's hybrid connections (one per integration runtime). */
@Injectable()
export class HybridConnectionsRepository {
  constructor(
    @InjectRepository(HybridConnectionEntity) private readonly connections: Repository<HybridConnectionEntity>,
    private readonly transactions: TransactionRunner,
  ) {}

  all(): Promise<HybridConnectionEntity[]> {
    return this.connections.find();
  }

  findByRuntime(integrationRuntimeId: string): Promise<HybridConnectionEntity | null> {
    return this.connections.findOneBy({ integrationRuntimeId });
  }

  /** The IR's hybrid connection; `create` builds it when there is none yet (checked again inside the transaction). */
  insertIfAbsent(integrationRuntimeId: string, create: () => HybridConnectionEntity): Promise<HybridConnectionEntity> {
    return this.transactions.run(async (manager) => {
      const repo = manager.getRepository(HybridConnectionEntity);
      const again = await repo.findOneBy({ integrationRuntimeId });
      if (again) return again;
      const entity = create();
      await repo.insert(entity);
      return entity;
    });
  }

  async setEnabled(integrationRuntimeId: string, enabled: boolean): Promise<void> {
    await this.connections.update({ integrationRuntimeId }, { enabled });
  }
}
