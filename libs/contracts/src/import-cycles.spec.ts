import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/** The contracts' own modules and what each imports of them (TypeScript's own import scanner; type imports count). */
function importGraph(dir: string): Map<string, string[]> {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(path.join(dir, file), 'utf8'), true, true);
    const local = importedFiles
      .map((i) => i.fileName)
      .filter((name) => name.startsWith('./'))
      .map((name) => `${name.slice(2)}.ts`);
    graph.set(file, local);
  }
  return graph;
}

/** The first import cycle found, as the chain of files, or undefined. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === 'done') return undefined;
    if (state.get(file) === 'visiting') return [...stack.slice(stack.indexOf(file)), file];
    state.set(file, 'visiting');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(file, 'done');
    return undefined;
  };
  for (const file of graph.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('libs/contracts modules', () => {
  it('import each other without cycles', () => {
    const graph = importGraph(__dirname);
    expect(graph.size).toBeGreaterThan(10);
    expect(findCycle(graph)?.join(' → ')).toBeUndefined();
  });

  it('finds a cycle when there is one', () => {
    expect(
      findCycle(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', ['c.ts']],
          ['c.ts', ['a.ts']],
        ]),
      ),
    ).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts']);
  });
});
