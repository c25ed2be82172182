import { useMemo, type ReactNode } from 'react';
import { Background, Controls, MarkerType, Position, ReactFlow, type Edge, type Node } from '@xyflow/react';
import { Graph, layout as dagreLayout } from '@dagrejs/dagre';
import { Text, tokens } from '@fluentui/react-components';
import '@xyflow/react/dist/style.css';
import { useLineage, type LineageInfo } from '../../api/catalog';
import { navigate } from '../../router';
import { ErrorBar, Loading } from '../Common';
import { useThemeName } from '../../theme';

const WIDTH = 220;
const HEIGHT = 56;

/** Lays the lineage out left to right (inputs → processes → outputs) with dagre; xyflow draws it. */
function layout(lineage: LineageInfo): { nodes: Node[]; edges: Edge[] } {
  const g = new Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 60 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const guid of Object.keys(lineage.guidEntityMap)) g.setNode(guid, { width: WIDTH, height: HEIGHT });
  for (const r of lineage.relations) g.setEdge(r.fromEntityId, r.toEntityId);
  dagreLayout(g);
  const nodes: Node[] = Object.values(lineage.guidEntityMap).map((e) => {
    const p = g.node(e.guid) as { x: number; y: number };
    const base = e.guid === lineage.baseEntityGuid;
    return {
      id: e.guid,
      position: { x: p.x - WIDTH / 2, y: p.y - HEIGHT / 2 },
      // Left to right: edges leave a node on its right and enter the next on its left.
      sourcePosition: Position.Right,
      targetPosition: Position.Left,
      data: { label: `${e.displayText ?? e.attributes?.name ?? e.guid}\n${e.typeName}` },
      style: {
        width: WIDTH,
        whiteSpace: 'pre-line',
        fontSize: 12,
        borderRadius: 6,
        border: `${base ? 2 : 1}px solid ${base ? tokens.colorBrandStroke1 : tokens.colorNeutralStroke1}`,
        background: e.typeName.toLowerCase().includes('process')
          ? tokens.colorNeutralBackground3
          : tokens.colorNeutralBackground1,
        color: tokens.colorNeutralForeground1,
      },
    };
  });
  const edges: Edge[] = lineage.relations.map((r) => ({
    id: r.relationshipId ?? `${r.fromEntityId}>${r.toEntityId}`,
    source: r.fromEntityId,
    target: r.toEntityId,
    markerEnd: { type: MarkerType.ArrowClosed },
  }));
  return { nodes, edges };
}

export function LineageGraph({ guid }: { guid: string }): ReactNode {
  const lineage = useLineage(guid, true);
  const theme = useThemeName();
  const graph = useMemo(() => (lineage.data ? layout(lineage.data) : null), [lineage.data]);
  if (lineage.error) return <ErrorBar error={lineage.error} />;
  if (!graph) return <Loading />;
  if (lineage.data!.relations.length === 0)
    return <Text>No lineage recorded for this asset (processes that read or write it add lineage).</Text>;
  return (
    <div
      style={{ height: 480, border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: 8 }}
      aria-label="Lineage graph"
    >
      <ReactFlow
        nodes={graph.nodes}
        edges={graph.edges}
        fitView
        colorMode={theme}
        nodesDraggable={false}
        onNodeDoubleClick={(_, n) => navigate(`/catalog/assets/${encodeURIComponent(n.id)}`)}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
