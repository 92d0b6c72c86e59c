/**
 * The UI thread never loads TensorFlow.js: every model runs in the worker, so nothing reachable from the
 * page's entry (src/main.tsx) may import `@tensorflow/*`. This walks the module graph the bundler would
 * follow — static `import … from` / `export … from`, side-effect imports and dynamic `import()` — and
 * skips what the bundler erases (`import type`, imports whose every name is marked `type`) and the
 * worker, which the page starts from a URL (`new Worker(new URL('./worker.ts', import.meta.url))`) and
 * is bundled as a chunk of its own.
 *
 * It also guards the layers (README "Architecture"): arrows point down only — core imports nothing above it, state
 * never imports ui, the CLI never imports the page's layers — and there are no import cycles inside src/state;
 * teaching content (src/state/teaching) imports nothing but types from outside itself.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ENTRY = join(ROOT, 'src', 'main.tsx');

/** The module specifiers a file loads at run time (type-only imports and exports left out). */
function runtimeImports(source: string, fileName: string): string[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) found.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.exportClause;
      const typeOnly =
        node.isTypeOnly ||
        (clause !== undefined &&
          ts.isNamedExports(clause) &&
          clause.elements.length > 0 &&
          clause.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments.length > 0 &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    } else if (ts.isImportEqualsDeclaration(node) && !node.isTypeOnly) {
      const ref = node.moduleReference;
      if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) found.push(ref.expression.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** Resolves a relative specifier to a .ts / .tsx file (or an index file); null for assets such as CSS. */
function resolveRelative(from: string, specifier: string): string | null {
  const base = resolve(dirname(from), specifier);
  const candidates = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')];
  for (const c of candidates) {
    if (/\.tsx?$/.test(c) && existsSync(c) && statSync(c).isFile()) return c;
  }
  if (/\.(css|svg|png|json)$/.test(specifier)) return null;
  throw new Error(`${relative(ROOT, from)} imports ${specifier}, which resolves to no .ts or .tsx file`);
}

interface Reach {
  /** Every source file reachable from the entry. */
  files: Set<string>;
  /** Each bare (package) import reachable, keyed `package in file`, with one chain of files that leads to it. */
  packages: Map<string, string[]>;
}

function walk(entry: string): Reach {
  const files = new Set<string>([entry]);
  const packages = new Map<string, string[]>();
  const queue: { file: string; chain: string[] }[] = [{ file: entry, chain: [relative(ROOT, entry)] }];
  while (queue.length > 0) {
    const { file, chain } = queue.shift()!;
    for (const spec of runtimeImports(readFileSync(file, 'utf8'), file)) {
      if (spec.startsWith('.')) {
        const target = resolveRelative(file, spec);
        if (target === null || files.has(target)) continue;
        files.add(target);
        queue.push({ file: target, chain: [...chain, relative(ROOT, target)] });
      } else if (!packages.has(`${spec} in ${relative(ROOT, file)}`)) {
        packages.set(`${spec} in ${relative(ROOT, file)}`, chain);
      }
    }
  }
  return { files, packages };
}

describe('the main thread never loads TensorFlow.js', () => {
  test('the walker sees value imports, re-exports and dynamic imports, and skips type-only ones', () => {
    const source = [
      "import type { A } from './typeOnly';",
      "import { type B, type C } from './allTypes';",
      "import { type D, e } from './mixed';",
      "import * as tf from '@tensorflow/tfjs';",
      "import './sideEffect.css';",
      "export { f } from './reexported';",
      "export type { G } from './reexportedType';",
      "export * from './star';",
      "const lazy = () => import('./lazy');",
      "const w = new Worker(new URL('./worker.ts', import.meta.url));",
    ].join('\n');
    expect(runtimeImports(source, 'x.tsx')).toEqual([
      './mixed',
      '@tensorflow/tfjs',
      './sideEffect.css',
      './reexported',
      './star',
      './lazy',
    ]);
  });

  test('no @tensorflow/* import is reachable from src/main.tsx', () => {
    const { files, packages } = walk(ENTRY);
    // The walk must reach the whole UI, or the check below would be empty: the app shell, a store, a view.
    for (const f of ['src/ui/App.tsx', 'src/state/workerSession.ts', 'src/ui/training-lab/RunEditor.tsx']) {
      expect([...files].map((x) => relative(ROOT, x))).toContain(f);
    }
    const tf = [...packages].filter(([spec]) => spec.startsWith('@tensorflow/'));
    const report = tf.map(([spec, chain]) => `${spec} via ${chain.join(' → ')}`);
    expect(report).toEqual([]);
    // Nor the worker, which the page only names by URL.
    expect([...files].map((x) => relative(ROOT, x))).not.toContain('src/worker/worker.ts');
  });
});

/** Every .ts / .tsx file under `dir`. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(e.name) ? [path] : [];
  });
}

/** Each file's run-time imports of project files, as paths relative to the root. */
function projectImports(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = runtimeImports(readFileSync(file, 'utf8'), file)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => resolveRelative(file, spec))
      .filter((t): t is string => t !== null)
      .map((t) => relative(ROOT, t));
    graph.set(relative(ROOT, file), targets);
  }
  return graph;
}

/** The import cycles of a graph, each as the chain of files that closes it (depth-first search, one per back edge). */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

/** Imports from files under `from` into files under any of `forbidden` (all relative to the root). */
function forbiddenImports(graph: Map<string, string[]>, from: string, forbidden: string[]): string[] {
  return [...graph].flatMap(([file, targets]) =>
    file.startsWith(from)
      ? targets.filter((t) => forbidden.some((f) => t.startsWith(f))).map((t) => `${file} → ${t}`)
      : [],
  );
}

describe('the layers: arrows point down only', () => {
  const graph = projectImports(sourceFiles(join(ROOT, 'src')));

  test('the cycle finder finds a cycle, and only one, in a small graph', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
    ]);
    expect(cycles(g)).toEqual([['a', 'b', 'c', 'a']]);
    expect(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });

  test('no import cycles inside src/state', () => {
    const state = new Map([...graph].filter(([f]) => f.startsWith('src/state/')));
    expect(cycles(state).map((c) => c.join(' → '))).toEqual([]);
  });

  test('src/state never imports src/ui; src/core imports nothing above it; src/cli nothing of the page', () => {
    expect(forbiddenImports(graph, 'src/state/', ['src/ui/'])).toEqual([]);
    expect(forbiddenImports(graph, 'src/core/', ['src/ui/', 'src/state/', 'src/worker/', 'src/cli/'])).toEqual([]);
    expect(forbiddenImports(graph, 'src/cli/', ['src/ui/', 'src/state/'])).toEqual([]);
    // The options schemas are what every layer may import, so they carry no tfjs and no DOM.
    for (const file of sourceFiles(join(ROOT, 'src', 'core', 'options'))) {
      const specs = runtimeImports(readFileSync(file, 'utf8'), file);
      expect(
        specs.filter((s) => !s.startsWith('.')),
        relative(ROOT, file),
      ).toEqual([]);
    }
  });

  test('teaching content (src/state/teaching) is data: at run time it imports nothing outside itself', () => {
    const teaching = [...graph].filter(([f]) => f.startsWith('src/state/teaching/'));
    // The walk must see the content, or the check below would be empty: the lessons, presets and explanations.
    expect(teaching.map(([f]) => f)).toEqual(
      expect.arrayContaining([
        'src/state/teaching/lessons/index.ts',
        'src/state/teaching/presets.ts',
        'src/state/teaching/concepts.ts',
        'src/state/teaching/methodHelp.ts',
      ]),
    );
    const outside = teaching.flatMap(([file, targets]) =>
      targets.filter((t) => !t.startsWith('src/state/teaching/')).map((t) => `${file} → ${t}`),
    );
    expect(outside).toEqual([]);
  });
});
