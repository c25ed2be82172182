import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { LineageEdge, LineageEdgeSource, NodeKind, WalkDirection } from './lineage-walk';

/** Atlas's lineage relationship defs: `Process.inputs` ↔ `DataSet.inputToProcesses`, `Process.outputs` ↔ `DataSet.outputFromProcesses`. */
export const PROCESS_INPUTS = 'dataset_process_inputs';
export const PROCESS_OUTPUTS = 'process_dataset_outputs';

const IN_CHUNK = 400;

/**
 * Lineage edges, read from the relationships the relationships module keeps (end 1 is the process, end 2 the
 * dataset, in both defs): a read model over `datamap_relationships`, one indexed query per walk level.
 */
@Injectable()
export class LineageRepository implements LineageEdgeSource {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async edges(direction: WalkDirection, kind: NodeKind, nodes: readonly string[]): Promise<LineageEdge[]> {
    // Downstream: datasets → the processes reading them → the datasets those write; upstream the other way round.
    const typeName = (direction === 'OUTPUT') === (kind === 'dataset') ? PROCESS_INPUTS : PROCESS_OUTPUTS;
    const column = kind === 'dataset' ? 'end2_key' : 'end1_key';
    const out: LineageEdge[] = [];
    for (let i = 0; i < nodes.length; i += IN_CHUNK) {
      const chunk = nodes.slice(i, i + IN_CHUNK);
      const rows = await this.dataSource.query<{ guid: string; process: string; dataset: string }[]>(
        `SELECT guid, end1_key AS process, end2_key AS dataset FROM datamap_relationships ` +
          `WHERE ${column} IN (${chunk.map(() => '?').join(',')}) AND type_name = ? AND status = 'ACTIVE'`,
        [...chunk, typeName],
      );
      for (const r of rows) {
        out.push(
          typeName === PROCESS_INPUTS
            ? { from: r.dataset, to: r.process, relationshipId: r.guid }
            : { from: r.process, to: r.dataset, relationshipId: r.guid },
        );
      }
    }
    return out;
  }
}
