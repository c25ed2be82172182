import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IntegrationRuntimeReference, SelfHostedIntegrationRuntimeStatus } from '@purview-emulator/contracts';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { IntegrationRuntimesRepository } from './integration-runtimes.repository';
import { assessNodes, isNodeOnline } from './runtime-status';
import type { IntegrationRuntimeNodeEntity } from './integration-runtime-node.entity';

/** How the scheduler sees a node: may it take jobs now, and how many at once. */
export interface SchedulingNode {
  nodeId: string;
  nodeName: string;
  online: boolean;
  acceptsJobs: boolean;
  /** Why the node takes no jobs (expired version, upgrading, offline). */
  reason?: string;
  expired: boolean;
  concurrentJobsLimit: number;
}

/**
 * Asked before an integration runtime is deleted; answers the names of what still uses it (say, scans). Other
 * modules register checks, so this module needs no import of theirs.
 */
export type RuntimeDeletionCheck = (integrationRuntimeName: string) => Promise<string[]>;

/**
 * Told once an integration runtime's deletion has committed, so a module that keeps state for it (say, the relay's
 * listeners on its hybrid connection) lets go at once instead of polling the table. Registered like deletion checks.
 */
export type RuntimeDeletedHook = (deleted: { id: string; name: string }) => void;

/** Adds fields another module owns to an IR's `/status` typeProperties (say, interactive authoring's state). */
export type RuntimeStatusExtension = (
  integrationRuntime: IntegrationRuntimeReference,
) => Promise<Partial<SelfHostedIntegrationRuntimeStatus['properties']['typeProperties']>>;

/**
 * The one answer for an integration runtime that does not exist: 404 `IntegrationRuntimeNotFound` when the request
 * addresses it (its path), 400 naming the field when a body refers to it (the resource addressed exists; the
 * reference is bad input). Purview's scanning API answers a missing resource 404 with `{error:{code,message}}`;
 * its code strings are not published, so the code is the one the IR API has always answered.
 */
export function integrationRuntimeNotFound(name: string, referencedBy?: string): PurviewError {
  if (!referencedBy) return PurviewError.notFound('Integration runtime', name, 'IntegrationRuntimeNotFound');
  return PurviewError.badRequest(
    `Integration runtime '${name}' (${referencedBy}) was not found. Create it first with PUT /scan/integrationruntimes/${name} and register a node to it.`,
    'IntegrationRuntimeNotFound',
    referencedBy,
  );
}

/**
 * What other modules need of integration runtimes: "the runtime named X" (as a contract reference, never the row),
 * the nodes the scheduler may use, counts for health, and hooks into deletion and `/status`. The IR API itself is
 * IntegrationRuntimesService; the node protocol is NodeSessionsService.
 */
@Injectable()
export class IntegrationRuntimeDirectory {
  private readonly deletionChecks: RuntimeDeletionCheck[] = [];
  private readonly deletedHooks: RuntimeDeletedHook[] = [];
  private readonly statusExtensions: RuntimeStatusExtension[] = [];
  private readonly logger = new Logger('IntegrationRuntimes');

  constructor(
    @Inject(EMULATOR_CONFIG) private readonly config: EmulatorConfig,
    private readonly repository: IntegrationRuntimesRepository,
    private readonly clock: Clock,
  ) {}

  /** The IR by name (case-insensitive), or undefined. */
  async findRuntime(name: string): Promise<IntegrationRuntimeReference | undefined> {
    const ir = await this.repository.findByName(name);
    return ir ? { id: ir.id, name: ir.name, kind: ir.kind } : undefined;
  }

  /** The IR by name, or the one not-found answer (see integrationRuntimeNotFound; `referencedBy` names a body field). */
  async requireRuntime(name: string, options: { referencedBy?: string } = {}): Promise<IntegrationRuntimeReference> {
    const ir = await this.findRuntime(name);
    if (!ir) throw integrationRuntimeNotFound(name, options.referencedBy);
    return ir;
  }

  /** What the scheduler needs about the nodes of an IR (none when there is no such IR). */
  async schedulingNodes(integrationRuntimeName: string): Promise<SchedulingNode[]> {
    const ir = await this.repository.findByName(integrationRuntimeName);
    if (!ir) return [];
    const nowMs = this.clock.nowMs();
    return assessNodes(await this.repository.nodesOf(ir.id), { config: this.config, nowMs }).map((a) => ({
      nodeId: a.entity.id,
      nodeName: a.entity.nodeName,
      online: isNodeOnline(a.entity, nowMs, this.config),
      acceptsJobs: a.acceptsJobs,
      ...(a.reason && !a.acceptsJobs ? { reason: a.reason } : {}),
      expired: a.expired,
      concurrentJobsLimit: a.entity.concurrentJobsLimit ?? a.entity.maxConcurrentJobs,
    }));
  }

  /** Counts for the health endpoint. */
  async connectivity(): Promise<{ integrationRuntimes: number; nodes: number; nodesOnline: number }> {
    const [runtimes, nodes] = await Promise.all([this.repository.all(), this.repository.allNodes()]);
    const nowMs = this.clock.nowMs();
    return {
      integrationRuntimes: runtimes.length,
      nodes: nodes.length,
      nodesOnline: nodes.filter((n) => isNodeOnline(n, nowMs, this.config)).length,
    };
  }

  /** Nodes by the status `/status` shows (Online, Limited, Offline, …), for `/_emulator/metrics`. */
  async nodeStatusCounts(): Promise<Record<string, number>> {
    // Assessed per runtime: a node off its runtime's majority version is Limited.
    const byRuntime = new Map<string, IntegrationRuntimeNodeEntity[]>();
    for (const node of await this.repository.allNodes())
      byRuntime.set(node.integrationRuntimeId, [...(byRuntime.get(node.integrationRuntimeId) ?? []), node]);
    const context = { config: this.config, nowMs: this.clock.nowMs() };
    const counts: Record<string, number> = {};
    for (const nodes of byRuntime.values())
      for (const { status } of assessNodes(nodes, context)) counts[status] = (counts[status] ?? 0) + 1;
    return counts;
  }

  addDeletionCheck(check: RuntimeDeletionCheck): void {
    this.deletionChecks.push(check);
  }

  onDeleted(hook: RuntimeDeletedHook): void {
    this.deletedHooks.push(hook);
  }

  addStatusExtension(extension: RuntimeStatusExtension): void {
    this.statusExtensions.push(extension);
  }

  /** For IntegrationRuntimesService: what the registered checks say still uses the IR. */
  async usersOf(integrationRuntimeName: string): Promise<string[]> {
    return (await Promise.all(this.deletionChecks.map((check) => check(integrationRuntimeName)))).flat();
  }

  /** For IntegrationRuntimesService, after the deletion committed. */
  announceDeleted(deleted: { id: string; name: string }): void {
    for (const hook of this.deletedHooks) {
      // The IR is gone already: a hook that fails must not turn the DELETE into an error.
      try {
        hook(deleted);
      } catch (error) {
        this.logger.warn(`After deleting integration runtime '${deleted.name}': ${(error as Error).message}`);
      }
    }
  }

  /** For IntegrationRuntimesService: the fields other modules add to `/status` typeProperties. */
  async statusExtras(
    integrationRuntime: IntegrationRuntimeReference,
  ): Promise<Partial<SelfHostedIntegrationRuntimeStatus['properties']['typeProperties']>> {
    const extras = {};
    for (const extension of this.statusExtensions) Object.assign(extras, await extension(integrationRuntime));
    return extras;
  }
}
