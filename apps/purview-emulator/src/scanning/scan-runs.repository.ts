import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, IsNull, LessThan, LessThanOrEqual, MoreThan, Repository } from 'typeorm';
import { ScanRunBatchEntity, ScanRunEntity } from './scan-run.entity';
import { ScanRunJobEntity } from './scan-run-job.entity';
import type { RunParts } from './scan-run-job.state';

export interface ScanRunCounts {
  runs: Record<string, number>;
  jobs: Record<string, number>;
  requeues: number;
}

/** Statuses in which a run still holds its scan (Purview runs one scan at a time). */
export const ACTIVE_RUN_STATUSES = ['Queued', 'InProgress'] as const;

/** All SQL for scan runs, their parts (jobs) and their ingested-batch ledger (one aggregate: neither outlives its run). */
@Injectable()
export class ScanRunsRepository {
  private settleSucceeded?: (run: ScanRunEntity, manager: EntityManager) => Promise<void>;

  constructor(@InjectRepository(ScanRunEntity) private readonly runs: Repository<ScanRunEntity>) {}

  /**
   * What every save of a run that has just succeeded does first, in the same transaction (deleted-asset detection,
   * ScanAssetSightings): a run can succeed on any of several paths (last part completed, last batch ingested).
   */
  useSucceededRunSettler(settle: (run: ScanRunEntity, manager: EntityManager) => Promise<void>): void {
    this.settleSucceeded = settle;
  }

  private async settled(run: ScanRunEntity, manager: EntityManager): Promise<ScanRunEntity> {
    if (run.status === 'Succeeded' && run.assetsDeleted === null) await this.settleSucceeded?.(run, manager);
    return run;
  }

  /** Runs by status, parts (jobs) by status, and how many times an expired or failed lease re-queued a part. */
  async counts(): Promise<ScanRunCounts> {
    const byStatus = (rows: { status: string; count: number }[]): Record<string, number> =>
      Object.fromEntries(rows.map((r) => [r.status, Number(r.count)]));
    type Row = { status: string; count: number };
    const runs = await this.runs.query<Row[]>('SELECT status, COUNT(*) AS count FROM scan_runs GROUP BY status');
    const jobs = await this.runs.query<Row[]>('SELECT status, COUNT(*) AS count FROM scan_run_jobs GROUP BY status');
    const [{ requeues }] = await this.runs.query<{ requeues: number }[]>(
      'SELECT COALESCE(SUM(attempt - 1), 0) AS requeues FROM scan_run_jobs',
    );
    return { runs: byStatus(runs), jobs: byStatus(jobs), requeues: Number(requeues) };
  }

  findById(id: string, manager?: EntityManager): Promise<ScanRunEntity | null> {
    return this.runRepo(manager).findOneBy({ id });
  }

  findByIds(ids: readonly string[], manager: EntityManager): Promise<ScanRunEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return manager.getRepository(ScanRunEntity).findBy({ id: In([...new Set(ids)]) });
  }

  findOfScan(scanId: string, id: string, manager?: EntityManager): Promise<ScanRunEntity | null> {
    return this.runRepo(manager).findOneBy({ scanId, id });
  }

  /** The scan's last Succeeded run queued before `beforeSeq` (the point an incremental run reads from). */
  lastSucceededRunOf(scanId: string, beforeSeq: number, manager?: EntityManager): Promise<ScanRunEntity | null> {
    return this.runRepo(manager).findOne({
      where: { scanId, status: 'Succeeded', seq: LessThan(beforeSeq) },
      order: { seq: 'DESC' },
    });
  }

  activeRunOf(scanId: string, manager: EntityManager): Promise<ScanRunEntity | null> {
    return this.runRepo(manager).findOne({
      where: { scanId, status: In([...ACTIVE_RUN_STATUSES]) },
      order: { seq: 'ASC' },
    });
  }

  /** History of one scan, newest first. */
  page(scanId: string, skip: number, take: number): Promise<[ScanRunEntity[], number]> {
    return this.runs.findAndCount({ where: { scanId }, order: { seq: 'DESC' }, skip, take });
  }

  async nextSeq(manager: EntityManager): Promise<number> {
    const row = await manager
      .getRepository(ScanRunEntity)
      .createQueryBuilder('run')
      .select('MAX(run.seq)', 'max')
      .getRawOne<{ max: number | null }>();
    return (row?.max ?? 0) + 1;
  }

  /**
   * Queued parts of one integration runtime (name compared NOCASE by the column's collation) that may be leased at
   * `nowIso` (no `notBefore`, or one that has passed): oldest run first, then part order.
   */
  queuedJobsFor(
    integrationRuntimeName: string,
    nowIso: string,
    limit: number,
    manager: EntityManager,
  ): Promise<ScanRunJobEntity[]> {
    const queued = { integrationRuntimeName, status: 'Queued' as const };
    return manager.getRepository(ScanRunJobEntity).find({
      where: [
        { ...queued, notBefore: IsNull() },
        { ...queued, notBefore: LessThanOrEqual(nowIso) },
      ],
      order: { runSeq: 'ASC', partIndex: 'ASC' },
      take: limit,
    });
  }

  /** The earliest `notBefore` still ahead of `nowIso` among the Queued parts of an integration runtime, if any. */
  async nextNotBefore(integrationRuntimeName: string, nowIso: string): Promise<string | undefined> {
    const next = await this.jobRepo().findOne({
      where: { integrationRuntimeName, status: 'Queued', notBefore: MoreThan(nowIso) },
      order: { notBefore: 'ASC' },
    });
    return next?.notBefore ?? undefined;
  }

  /** Leased parts whose lease ran out before `nowIso` (ISO strings compare as text). */
  expiredJobLeases(nowIso: string, manager: EntityManager): Promise<ScanRunJobEntity[]> {
    return manager.getRepository(ScanRunJobEntity).find({
      where: { status: 'Leased', leaseExpiresAt: LessThan(nowIso) },
      order: { runSeq: 'ASC', partIndex: 'ASC' },
    });
  }

  /** Parts currently leased by nodes of one integration runtime (for concurrentJobsLimit and spreading). */
  leasedJobsOf(integrationRuntimeName: string, manager?: EntityManager): Promise<ScanRunJobEntity[]> {
    return this.jobRepo(manager).find({ where: { integrationRuntimeName, status: 'Leased' } });
  }

  findJob(id: string, manager: EntityManager): Promise<ScanRunJobEntity | null> {
    return manager.getRepository(ScanRunJobEntity).findOneBy({ id });
  }

  /** Parts of the given runs, in part order. */
  jobsOfRuns(runIds: readonly string[], manager?: EntityManager): Promise<ScanRunJobEntity[]> {
    if (runIds.length === 0) return Promise.resolve([]);
    return this.jobRepo(manager).find({
      where: { runId: In([...new Set(runIds)]) },
      order: { runSeq: 'ASC', partIndex: 'ASC' },
    });
  }

  /** A run with all its parts, or null. */
  async parts(runId: string, manager: EntityManager): Promise<RunParts | null> {
    const run = await this.findById(runId, manager);
    return run ? { run, jobs: await this.jobsOfRuns([run.id], manager) } : null;
  }

  async insertJobs(jobs: ScanRunJobEntity[], manager: EntityManager): Promise<void> {
    if (jobs.length) await manager.getRepository(ScanRunJobEntity).insert(jobs);
  }

  async saveJob(job: ScanRunJobEntity, manager: EntityManager): Promise<void> {
    await manager.getRepository(ScanRunJobEntity).save(job);
  }

  /** Saves a run and its parts. */
  async saveParts(parts: RunParts, manager: EntityManager): Promise<void> {
    await manager.getRepository(ScanRunEntity).save(await this.settled(parts.run, manager));
    if (parts.jobs.length) await manager.getRepository(ScanRunJobEntity).save(parts.jobs);
  }

  async insert(run: ScanRunEntity, manager: EntityManager): Promise<void> {
    await manager.getRepository(ScanRunEntity).insert(run);
  }

  async save(run: ScanRunEntity, manager: EntityManager): Promise<void> {
    await manager.getRepository(ScanRunEntity).save(await this.settled(run, manager));
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

  private jobRepo(manager?: EntityManager): Repository<ScanRunJobEntity> {
    return manager ? manager.getRepository(ScanRunJobEntity) : this.runs.manager.getRepository(ScanRunJobEntity);
  }
}
