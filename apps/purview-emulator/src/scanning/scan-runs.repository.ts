import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, IsNull, LessThan, Not, Repository } from 'typeorm';
import { ScanRunBatchEntity, ScanRunEntity } from './scan-run.entity';

/** Statuses in which a run still holds its scan (Purview runs one scan at a time). */
export const ACTIVE_RUN_STATUSES = ['Queued', 'InProgress'] as const;

/** All SQL for scan runs and their ingested-batch ledger (one aggregate: a batch never outlives its run). */
@Injectable()
export class ScanRunsRepository {
  constructor(@InjectRepository(ScanRunEntity) private readonly runs: Repository<ScanRunEntity>) {}

  findById(id: string, manager?: EntityManager): Promise<ScanRunEntity | null> {
    return this.runRepo(manager).findOneBy({ id });
  }

  findOfScan(scanId: string, id: string, manager?: EntityManager): Promise<ScanRunEntity | null> {
    return this.runRepo(manager).findOneBy({ scanId, id });
  }

  activeRunOf(scanId: string, manager: EntityManager): Promise<ScanRunEntity | null> {
    return this.runRepo(manager).findOne({ where: { scanId, status: In([...ACTIVE_RUN_STATUSES]) }, order: { seq: 'ASC' } });
  }

  /** History of one scan, newest first. */
  page(scanId: string, skip: number, take: number): Promise<[ScanRunEntity[], number]> {
    return this.runs.findAndCount({ where: { scanId }, order: { seq: 'DESC' }, skip, take });
  }

  async nextSeq(manager: EntityManager): Promise<number> {
    const row = await manager.getRepository(ScanRunEntity).createQueryBuilder('run').select('MAX(run.seq)', 'max').getRawOne<{ max: number | null }>();
    return (row?.max ?? 0) + 1;
  }

  /** Queued runs of one integration runtime (name compared NOCASE by the column's collation), oldest first. */
  queuedFor(integrationRuntimeName: string, limit: number, manager: EntityManager): Promise<ScanRunEntity[]> {
    return manager.getRepository(ScanRunEntity).find({ where: { integrationRuntimeName, status: 'Queued' }, order: { seq: 'ASC' }, take: limit });
  }

  /** Leased runs whose lease ran out before `nowIso` (ISO strings compare as text). */
  expiredLeases(nowIso: string, manager: EntityManager): Promise<ScanRunEntity[]> {
    return manager.getRepository(ScanRunEntity).find({ where: { status: 'InProgress', leaseId: Not(IsNull()), leaseExpiresAt: LessThan(nowIso) }, order: { seq: 'ASC' } });
  }

  async insert(run: ScanRunEntity, manager: EntityManager): Promise<void> {
    await manager.getRepository(ScanRunEntity).insert(run);
  }

  async save(run: ScanRunEntity, manager: EntityManager): Promise<void> {
    await manager.getRepository(ScanRunEntity).save(run);
  }

  findBatch(runId: string, batchId: string, manager: EntityManager): Promise<ScanRunBatchEntity | null> {
    return manager.getRepository(ScanRunBatchEntity).findOneBy({ runId, batchId });
  }

  async insertBatch(batch: ScanRunBatchEntity, manager: EntityManager): Promise<void> {
    await manager.getRepository(ScanRunBatchEntity).insert(batch);
  }

  private runRepo(manager?: EntityManager): Repository<ScanRunEntity> {
    return manager ? manager.getRepository(ScanRunEntity) : this.runs;
  }
}
