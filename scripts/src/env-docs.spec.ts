/**
 * Every PURVIEW_* / SHIR_* / AZURITE_* variable the code reads has a row in README.md's Configuration tables (the
 * table of the program that reads it), and the README names no variable that nothing reads. Variables used to be
 * spread over several tables, help texts and Dockerfile comments, and some were documented nowhere.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');
/** A whole name: a bare prefix such as 'PURVIEW_' (used to filter the environment) is not a variable. */
const NAME = /^(PURVIEW|SHIR|AZURITE)_[A-Z0-9_]*[A-Z0-9]$/;
const NAME_IN_TEXT = /\b(?:PURVIEW|SHIR|AZURITE)_[A-Z0-9_]*[A-Z0-9]\b/g;

/** The README table (a `###` heading under `## Configuration` starting with this word) for each program's code. */
const PROGRAMS: { table: string; sources: string[] }[] = [
  { table: 'Emulator', sources: ['apps/purview-emulator/src', 'apps/purview-emulator/Dockerfile'] },
  { table: 'Runtime', sources: ['apps/runtime/src', 'apps/runtime/Dockerfile', 'apps/runtime/docker-entrypoint.sh'] },
  { table: 'Scripts', sources: ['scripts/src'] },
  // Shared code and the compose file: documented in whichever table, as long as it is in one.
  { table: '*', sources: ['libs/contracts/src', 'libs/scan-engine/src', 'libs/relay/src', 'docker-compose.yml'] },
];

/**
 * The variable names a TypeScript file reads: string literals that are exactly a name (`read.port('X', …)`,
 * `env['X']`, `const X_ENV = 'X'`) and `….env.X` / `const { X } = ….env`. Comments, messages and constants that
 * merely look like names (`PURVIEW_SCOPE`) do not count.
 */
function namesReadByTypeScript(source: string): Set<string> {
  const names = new Set<string>();
  const isEnv = (node: ts.Node): boolean => /(^|\.)env$/.test(node.getText());
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && NAME.test(node.text))
      names.add(node.text);
    if (ts.isPropertyAccessExpression(node) && NAME.test(node.name.text) && isEnv(node.expression))
      names.add(node.name.text);
    if (
      ts.isVariableDeclaration(node) &&
      ts.isObjectBindingPattern(node.name) &&
      node.initializer &&
      isEnv(node.initializer)
    ) {
      for (const element of node.name.elements) {
        const key = (element.propertyName ?? element.name).getText();
        if (NAME.test(key)) names.add(key);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('file.ts', source, ts.ScriptTarget.ES2022, true));
  return names;
}

/** The names in a Dockerfile, shell script or compose file, outside comments (ENV lines, $X, ${X:-…}, keys). */
function namesReadByConfigFile(source: string): Set<string> {
  const code = source
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');
  return new Set(code.match(NAME_IN_TEXT) ?? []);
}

/** Source files under a directory, without specs and test helpers. */
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory())
      return ['testing', 'test', '__tests__', 'node_modules', 'dist'].includes(entry.name) ? [] : sourceFiles(full);
    return /\.ts$/.test(entry.name) && !/\.(spec|e2e-spec)\.ts$/.test(entry.name) ? [full] : [];
  });
}

/** name → the files (relative to the repository) that read it, per README table. */
function namesReadByCode(): Map<string, Map<string, string[]>> {
  const byTable = new Map<string, Map<string, string[]>>();
  for (const { table, sources } of PROGRAMS) {
    const found = byTable.get(table) ?? new Map<string, string[]>();
    byTable.set(table, found);
    for (const source of sources) {
      const full = path.join(ROOT, source);
      if (!fs.existsSync(full)) continue;
      const files = fs.statSync(full).isDirectory() ? sourceFiles(full) : [full];
      for (const file of files) {
        const text = fs.readFileSync(file, 'utf8');
        const names = file.endsWith('.ts') ? namesReadByTypeScript(text) : namesReadByConfigFile(text);
        for (const name of names) found.set(name, [...(found.get(name) ?? []), path.relative(ROOT, file)]);
      }
    }
  }
  return byTable;
}

/** The names in the first cell of each table row, per `###` heading of README's `## Configuration` section. */
function documentedTables(readme: string): Map<string, Set<string>> {
  const section = /^## Configuration\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  if (!section) throw new Error("README.md has no '## Configuration' section followed by another '## ' section");
  const tables = new Map<string, Set<string>>();
  let current: Set<string> | undefined;
  for (const line of section.split('\n')) {
    const heading = /^### (\S+)/.exec(line);
    if (heading) tables.set(heading[1], (current = new Set()));
    const firstCell = /^\|([^|]*)\|/.exec(line)?.[1];
    if (current && firstCell) for (const name of firstCell.match(NAME_IN_TEXT) ?? []) current.add(name);
  }
  return tables;
}

describe('environment variables in README.md', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const code = namesReadByCode();
  const tables = documentedTables(readme);
  const anyTable = new Set([...tables.values()].flatMap((names) => [...names]));

  it('has a row for every variable the code reads, in the table of the program that reads it', () => {
    const missing: string[] = [];
    for (const [table, names] of code) {
      const documented = table === '*' ? anyTable : (tables.get(table) ?? new Set<string>());
      if (!tables.has(table) && table !== '*')
        missing.push(`README.md has no '### ${table}' table under '## Configuration'`);
      for (const [name, files] of names) {
        if (!documented.has(name))
          missing.push(
            `${name} (read by ${files.join(', ')}) has no row in the ${table === '*' ? 'Configuration' : `'${table}'`} tables`,
          );
      }
    }
    expect(missing).toEqual([]);
  });

  it('names no variable that no code reads', () => {
    const read = new Set([...code.values()].flatMap((names) => [...names.keys()]));
    const stale = [...new Set(readme.match(NAME_IN_TEXT) ?? [])].filter((name) => !read.has(name));
    expect(stale.map((name) => `${name} is in README.md, but no code reads it`)).toEqual([]);
  });
});

describe('finding the variables code reads', () => {
  it('takes literals and env accesses in TypeScript, not comments, messages or look-alike constants', () => {
    const names = namesReadByTypeScript(`
      import { PURVIEW_SCOPE } from 'x';
      // PURVIEW_IN_A_COMMENT=1 does this
      const a = read.port('PURVIEW_A_PORT', 1);
      const b = process.env.SHIR_B ?? env['AZURITE_C'];
      const { SHIR_D, other } = io.env;
      const prefix = Object.keys(env).filter((k) => k.startsWith('PURVIEW_'));
      throw new Error(\`PURVIEW_IN_A_MESSAGE=\${x} is bad\`);
      const c = options.SHIR_NOT_ENV;
    `);
    expect([...names].sort()).toEqual(['AZURITE_C', 'PURVIEW_A_PORT', 'SHIR_B', 'SHIR_D']);
  });

  it('takes names in Dockerfiles, shell scripts and compose files outside comments', () => {
    const names = namesReadByConfigFile(
      [
        '# SHIR_IN_A_COMMENT is explained here',
        'ENV SHIR_HOME=/h \\',
        '    PURVIEW_ENDPOINT=http://x',
        ': "${SHIR_X:=1}"',
        '  AZURITE_ACCOUNTS: ${AZURITE_ACCOUNTS:-}',
      ].join('\n'),
    );
    expect([...names].sort()).toEqual(['AZURITE_ACCOUNTS', 'PURVIEW_ENDPOINT', 'SHIR_HOME', 'SHIR_X']);
  });
});
