import { ResetHooks } from '../common/reset-hooks';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import type { Fault, FaultKind, FaultSpec } from '@purview-emulator/contracts';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { FaultEntity } from './fault.entity';

type SpecOf<K extends FaultKind> = Extract<FaultSpec, { kind: K }>;

/**
 * The faults in force, kept in memory (a request checks them without a query) and in the database (they survive a
 * restart). Owners of the places a fault hits ask `take` at that place; a fault that fires is logged, counted and,
 * with a count, used up.
 */
@Injectable()
export class FaultsService implements OnModuleInit {
  private readonly logger = new Logger('Faults');
  private faults: FaultEntity[] = [];
  private readonly addedListeners: ((spec: FaultSpec) => void)[] = [];

  constructor(
    @InjectRepository(FaultEntity) private readonly repository: Repository<FaultEntity>,
    private readonly clock: Clock,
    private readonly resets: ResetHooks,
  ) {}

  async onModuleInit(): Promise<void> {
    this.resets.register('fault injection', () => this.load());
    await this.load();
  }

  private async load(): Promise<void> {
    this.faults = await this.repository.find({ order: { createdAt: 'ASC' } });
  }

  async add(spec: FaultSpec): Promise<Fault> {
    const now = this.clock.nowMs();
    const entity: FaultEntity = {
      id: randomUUID(),
      spec,
      remaining: spec.count ?? null,
      expiresAt: spec.durationSeconds ? new Date(now + spec.durationSeconds * 1000).toISOString() : null,
      createdAt: new Date(now).toISOString(),
      fired: 0,
    };
    await this.repository.insert(entity);
    this.faults.push(entity);
    this.logger.warn(`Fault ${entity.id} (${spec.kind}) injected: ${JSON.stringify(spec)}.`);
    // A fault that hits something already there (a connected relay listener) acts at once, not on the next event.
    for (const listener of this.addedListeners) listener(spec);
    return toFault(entity);
  }

  /** Calls `listener` with each fault injected from now on. */
  onAdded(listener: (spec: FaultSpec) => void): void {
    this.addedListeners.push(listener);
  }

  list(): Fault[] {
    return this.inForce().map(toFault);
  }

  get(id: string): Fault {
    const fault = this.inForce().find((f) => f.id === id);
    if (!fault) throw PurviewError.notFound('Fault', id, 'FaultNotFound');
    return toFault(fault);
  }

  async remove(id: string): Promise<void> {
    this.get(id);
    await this.drop([id]);
  }

  async clear(): Promise<void> {
    await this.drop(this.faults.map((f) => f.id));
  }

  /** Whether a fault of this kind is in force at all: lets a hot path skip building its match. */
  any(kind: FaultKind): boolean {
    return this.faults.length > 0 && this.faults.some((f) => f.spec.kind === kind);
  }

  /** The first fault of `kind` in force that `matches`, without firing it (for calls the fault lets through). */
  active<K extends FaultKind>(kind: K, matches: (spec: SpecOf<K>) => boolean): SpecOf<K> | undefined {
    if (!this.any(kind)) return undefined;
    return this.inForce().find((f) => f.spec.kind === kind && matches(f.spec as SpecOf<K>))?.spec as SpecOf<K>;
  }

  /** The first fault of `kind` in force that `matches`, fired once (logged, counted, one occurrence used up). */
  take<K extends FaultKind>(kind: K, matches: (spec: SpecOf<K>) => boolean, what: string): SpecOf<K> | undefined {
    if (!this.any(kind)) return undefined;
    const fault = this.inForce().find((f) => f.spec.kind === kind && matches(f.spec as SpecOf<K>));
    if (!fault) return undefined;
    fault.fired += 1;
    if (fault.remaining !== null) fault.remaining -= 1;
    this.logger.warn(
      `Fault ${fault.id} (${kind}) fired on ${what}${fault.remaining !== null ? `; ${fault.remaining} left` : ''}.`,
    );
    const done = fault.remaining === 0;
    // The in-memory copy is what counts; the row follows (a failure here only means a restart forgets one firing).
    const write = done
      ? this.drop([fault.id])
      : this.repository.update(fault.id, { fired: fault.fired, remaining: fault.remaining });
    void write.catch((error: unknown) =>
      this.logger.error(`Could not record fault ${fault.id}: ${(error as Error).message}`),
    );
    return fault.spec as SpecOf<K>;
  }

  /** Faults not used up and not expired on the emulator clock; expired ones are dropped on the way. */
  private inForce(): FaultEntity[] {
    const now = this.clock.iso();
    const expired = this.faults.filter((f) => f.expiresAt !== null && f.expiresAt <= now).map((f) => f.id);
    if (expired.length) void this.drop(expired).catch(() => undefined);
    return this.faults.filter((f) => !expired.includes(f.id));
  }

  private async drop(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    this.faults = this.faults.filter((f) => !ids.includes(f.id));
    await this.repository.delete(ids);
  }
}

function toFault(entity: FaultEntity): Fault {
  return {
    ...entity.spec,
    id: entity.id,
    remaining: entity.remaining,
    expiresAt: entity.expiresAt,
    createdAt: entity.createdAt,
    fired: entity.fired,
  };
}
