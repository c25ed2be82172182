import { LineageEdge, LineageEdgeSource, NodeKind, WalkDirection, lineagePage, walkLineage } from './lineage-walk';

/**
 * An in-memory edge store (the storage boundary; the walk itself is real). Processes are named p*, datasets d*;
 * `flows` are [inputs, process, outputs].
 */
class Graph implements LineageEdgeSource {
  readonly edgeList: LineageEdge[] = [];
  queries = 0;

  constructor(flows: [string[], string, string[]][]) {
    for (const [inputs, process, outputs] of flows) {
      for (const d of inputs) this.edgeList.push({ from: d, to: process, relationshipId: `${d}>${process}` });
      for (const d of outputs) this.edgeList.push({ from: process, to: d, relationshipId: `${process}>${d}` });
    }
  }

  edges(direction: WalkDirection, kind: NodeKind, nodes: readonly string[]): Promise<LineageEdge[]> {
    this.queries++;
    const wanted = new Set(nodes);
    const isKind = (n: string): boolean => (kind === 'process') === n.startsWith('p');
    return Promise.resolve(
      this.edgeList.filter((e) =>
        direction === 'OUTPUT' ? wanted.has(e.from) && isKind(e.from) : wanted.has(e.to) && isKind(e.to),
      ),
    );
  }
}

/** d0 → p1 → d1 → p2 → d2 → … → p{n} → d{n} */
const chain = (n: number): Graph =>
  new Graph(
    Array.from({ length: n }, (_, i) => [[`d${i}`], `p${i + 1}`, [`d${i + 1}`]] as [string[], string, string[]]),
  );

const names = (relations: LineageEdge[]): string[] => relations.map((r) => r.relationshipId).sort();

describe('lineage walk', () => {
  it('follows a chain downstream, depth counting processes', async () => {
    const walk = await walkLineage(chain(10), { key: 'd3', kind: 'dataset' }, 'OUTPUT', 2, 10);
    expect([...walk.nodes].sort()).toEqual(['d3', 'd4', 'd5', 'p4', 'p5']);
    expect(names(walk.relations)).toEqual(['d3>p4', 'd4>p5', 'p4>d4', 'p5>d5']);
    expect(walk.childrenCount).toBe(1);
  });

  it('follows a chain upstream, edges kept in data-flow order', async () => {
    const walk = await walkLineage(chain(10), { key: 'd3', kind: 'dataset' }, 'INPUT', 2, 10);
    expect([...walk.nodes].sort()).toEqual(['d1', 'd2', 'd3', 'p2', 'p3']);
    expect(walk.relations).toContainEqual({ from: 'd2', to: 'p3', relationshipId: 'd2>p3' });
    expect(walk.relations).toContainEqual({ from: 'p3', to: 'd3', relationshipId: 'p3>d3' });
  });

  it('walks both directions, counting the base children of each', async () => {
    const walk = await walkLineage(chain(10), { key: 'd5', kind: 'dataset' }, 'BOTH', 1, 10);
    expect([...walk.nodes].sort()).toEqual(['d4', 'd5', 'd6', 'p5', 'p6']);
    expect(walk.childrenCount).toBe(2);
  });

  it('counts a process base as the first level', async () => {
    const walk = await walkLineage(chain(10), { key: 'p5', kind: 'process' }, 'BOTH', 1, 10);
    expect([...walk.nodes].sort()).toEqual(['d4', 'd5', 'p5']);
    const deeper = await walkLineage(chain(10), { key: 'p5', kind: 'process' }, 'OUTPUT', 2, 10);
    expect([...deeper.nodes].sort()).toEqual(['d5', 'd6', 'p5', 'p6']);
  });

  it('answers only the base at depth 0, and stops at the ends of the graph', async () => {
    expect([...(await walkLineage(chain(3), { key: 'd1', kind: 'dataset' }, 'BOTH', 0, 10)).nodes]).toEqual(['d1']);
    const all = await walkLineage(chain(3), { key: 'd0', kind: 'dataset' }, 'OUTPUT', 50, 10);
    expect(all.nodes.size).toBe(7);
    expect(all.relations).toHaveLength(6);
  });

  it('ends on cycles, listing each relation once', async () => {
    // d1 → p1 → d2 → p2 → d1
    const graph = new Graph([
      [['d1'], 'p1', ['d2']],
      [['d2'], 'p2', ['d1']],
    ]);
    const walk = await walkLineage(graph, { key: 'd1', kind: 'dataset' }, 'BOTH', 100, 10);
    expect([...walk.nodes].sort()).toEqual(['d1', 'd2', 'p1', 'p2']);
    expect(names(walk.relations)).toEqual(['d1>p1', 'd2>p2', 'p1>d2', 'p2>d1']);
    expect(graph.queries).toBeLessThan(20);
  });

  it('expands at most width neighbours of each node and reports the wider ones', async () => {
    // d0 feeds 5 processes; p0 writes 4 datasets.
    const graph = new Graph([
      ...Array.from({ length: 5 }, (_, i) => [['d0'], `p${i}`, [] as string[]] as [string[], string, string[]]),
      [[], 'p0', ['e1', 'e2', 'e3', 'e4']],
    ]);
    const walk = await walkLineage(graph, { key: 'd0', kind: 'dataset' }, 'OUTPUT', 1, 3);
    expect(walk.childrenCount).toBe(5);
    expect(walk.widthCounts).toEqual({ OUTPUT: { d0: 5, p0: 4 } });
    expect([...walk.nodes].sort()).toEqual(['d0', 'e1', 'e2', 'e3', 'p0', 'p1', 'p2']);
    const wide = await walkLineage(graph, { key: 'd0', kind: 'dataset' }, 'OUTPUT', 1, 10);
    expect(wide.widthCounts).toEqual({});
    expect(wide.nodes.size).toBe(10);
  });

  it('queries one level at a time, however wide the level', async () => {
    const graph = chain(1000);
    await walkLineage(graph, { key: 'd500', kind: 'dataset' }, 'BOTH', 3, 10);
    expect(graph.queries).toBe(12);
  });

  it('pages the direct neighbours of an entity', async () => {
    const graph = new Graph(
      Array.from({ length: 7 }, (_, i) => [['d0'], `p${i}`, [] as string[]] as [string[], string, string[]]),
    );
    const first = await lineagePage(graph, { key: 'd0', kind: 'dataset' }, 'OUTPUT', 0, 3);
    const last = await lineagePage(graph, { key: 'd0', kind: 'dataset' }, 'OUTPUT', 6, 3);
    expect(names(first.relations)).toEqual(['d0>p0', 'd0>p1', 'd0>p2']);
    expect(names(last.relations)).toEqual(['d0>p6']);
    expect(first.childrenCount).toBe(7);
    expect(first.widthCounts).toEqual({ OUTPUT: { d0: 7 } });
  });
});
