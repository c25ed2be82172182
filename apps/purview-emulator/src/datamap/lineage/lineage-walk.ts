/**
 * The lineage walk, apart from storage: from an entity, follow dataset → process → dataset edges in one direction
 * (or both), `depth` processes deep, expanding at most `width` neighbours of each node. Nodes are entity keys.
 */

export type WalkDirection = 'INPUT' | 'OUTPUT';
export type NodeKind = 'dataset' | 'process';

/** An edge in data-flow order: an input dataset → its process, or a process → its output dataset. */
export interface LineageEdge {
  from: string;
  to: string;
  relationshipId: string;
}

/**
 * Where edges come from: for `nodes` of one kind, the edges that lead away from them in `direction` (OUTPUT:
 * downstream, edges whose `from` is one of the nodes; INPUT: upstream, edges whose `to` is one of them).
 */
export interface LineageEdgeSource {
  edges(direction: WalkDirection, kind: NodeKind, nodes: readonly string[]): Promise<LineageEdge[]>;
}

export interface LineageWalk {
  /** Every node reached, the base among them. */
  nodes: Set<string>;
  relations: LineageEdge[];
  /** Per direction, the nodes that had more neighbours than `width`, with how many they have. */
  widthCounts: Partial<Record<WalkDirection, Record<string, number>>>;
  /** The base's direct neighbours (in both directions for BOTH), before `width` applies. */
  childrenCount: number;
}

const ownerOf = (direction: WalkDirection, edge: LineageEdge): string => (direction === 'OUTPUT' ? edge.from : edge.to);
const neighbourOf = (direction: WalkDirection, edge: LineageEdge): string =>
  direction === 'OUTPUT' ? edge.to : edge.from;

/**
 * Walks lineage breadth first, one query per level. `depth` counts processes, as Atlas does: a dataset at depth 1
 * shows the processes reading (or writing) it and their other datasets; a process base counts as the first level.
 * Each node is expanded once per direction, so cycles end; relations are listed once.
 */
export async function walkLineage(
  source: LineageEdgeSource,
  base: { key: string; kind: NodeKind },
  direction: WalkDirection | 'BOTH',
  depth: number,
  width: number,
): Promise<LineageWalk> {
  const walk: LineageWalk = { nodes: new Set([base.key]), relations: [], widthCounts: {}, childrenCount: 0 };
  const seenRelations = new Set<string>();
  for (const dir of direction === 'BOTH' ? (['INPUT', 'OUTPUT'] as const) : [direction]) {
    const expanded = new Set([base.key]);
    let frontier = [base.key];
    let kind = base.kind;
    let steps = depth === 0 ? 0 : base.kind === 'dataset' ? depth * 2 : depth * 2 - 1;
    let first = true;
    while (steps-- > 0 && frontier.length) {
      const byOwner = new Map<string, LineageEdge[]>();
      for (const edge of await source.edges(dir, kind, frontier)) {
        const owner = ownerOf(dir, edge);
        const list = byOwner.get(owner) ?? [];
        if (!list.some((e) => e.relationshipId === edge.relationshipId)) list.push(edge);
        byOwner.set(owner, list);
      }
      const next: string[] = [];
      for (const owner of frontier) {
        const list = (byOwner.get(owner) ?? []).sort(
          (a, b) =>
            neighbourOf(dir, a).localeCompare(neighbourOf(dir, b)) || a.relationshipId.localeCompare(b.relationshipId),
        );
        if (first) walk.childrenCount += list.length;
        if (list.length > width) (walk.widthCounts[dir] ??= {})[owner] = list.length;
        for (const edge of list.slice(0, width)) {
          if (!seenRelations.has(edge.relationshipId)) {
            seenRelations.add(edge.relationshipId);
            walk.relations.push(edge);
          }
          const neighbour = neighbourOf(dir, edge);
          walk.nodes.add(neighbour);
          if (!expanded.has(neighbour)) {
            expanded.add(neighbour);
            next.push(neighbour);
          }
        }
      }
      first = false;
      frontier = next;
      kind = kind === 'dataset' ? 'process' : 'dataset';
    }
  }
  return walk;
}

/** One page of the base's direct neighbours in a direction (`lineage/{guid}/next`). */
export async function lineagePage(
  source: LineageEdgeSource,
  base: { key: string; kind: NodeKind },
  direction: WalkDirection | 'BOTH',
  offset: number,
  limit: number,
): Promise<LineageWalk> {
  const walk: LineageWalk = { nodes: new Set([base.key]), relations: [], widthCounts: {}, childrenCount: 0 };
  const all: { dir: WalkDirection; edge: LineageEdge }[] = [];
  for (const dir of direction === 'BOTH' ? (['INPUT', 'OUTPUT'] as const) : [direction]) {
    const edges = (await source.edges(dir, base.kind, [base.key])).sort(
      (a, b) =>
        neighbourOf(dir, a).localeCompare(neighbourOf(dir, b)) || a.relationshipId.localeCompare(b.relationshipId),
    );
    const unique = edges.filter((e, i) => edges.findIndex((o) => o.relationshipId === e.relationshipId) === i);
    if (unique.length > limit) (walk.widthCounts[dir] ??= {})[base.key] = unique.length;
    all.push(...unique.map((edge) => ({ dir, edge })));
  }
  walk.childrenCount = all.length;
  for (const { dir, edge } of all.slice(offset, offset + limit)) {
    walk.relations.push(edge);
    walk.nodes.add(neighbourOf(dir, edge));
  }
  return walk;
}
