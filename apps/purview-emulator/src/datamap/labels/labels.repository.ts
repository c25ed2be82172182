import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AtlasEntityRecord } from '../atlas-entity.record';

/**
 * Labels live in the entity row (`datamap_entities.labels`, a JSON array): entity reads, headers, search results and
 * entity writes that carry `labels` all see one copy. This writes only that column.
 */
@Injectable()
export class LabelsRepository {
  async write(guid: string, labels: readonly string[], manager: EntityManager): Promise<void> {
    await manager.getRepository(AtlasEntityRecord).update({ guid }, { labels: JSON.stringify(labels) });
  }
}
