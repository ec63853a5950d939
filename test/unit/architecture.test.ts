import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { repositoryRoot } from './cli/fakeIo';

/**
 * The shape the project keeps (DEVELOPERS.md, "Map"): folders depend on each other in one
 * direction only, so each can be read, tested and bundled from the bottom up. Every import counts,
 * type-only ones too: a type is a dependency of the design, even when it costs nothing at run time.
 */

const SRC = path.join(repositoryRoot(), 'src');

/** Every .ts file under src/, as a path relative to src/. */
function sources(folder = SRC): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? sources(full) : entry.name.endsWith('.ts') ? [path.relative(SRC, full)] : [];
  });
}

/** The src/ files a file imports (import, export … from, require, import()), resolved. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(SRC, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)'(\.{1,2}\/[^']+)'/g)].map((match) => match[1]!);
  return specifiers
    .map((specifier) => path.normalize(path.join(path.dirname(file), specifier)))
    .map(
      (target) =>
        [`${target}.ts`, path.join(target, 'index.ts')].find((candidate) => fs.existsSync(path.join(SRC, candidate))) ??
        (target.endsWith('.json') ? '' : target),
    )
    .filter((target) => target !== '' && !target.startsWith('..'));
}

/** The folder a file belongs to: src/core/cron/parse.ts → core/cron; src/core/l10n.ts → core. */
const folderOf = (file: string): string => path.dirname(file);

function folderGraph(): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  for (const file of sources()) {
    for (const target of importsOf(file)) {
      const from = folderOf(file);
      const to = folderOf(target);
      if (from === to) continue;
      const edges = graph.get(from) ?? new Map<string, string[]>();
      edges.set(to, [...(edges.get(to) ?? []), `${file} → ${target}`]);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** Strongly connected components with more than one folder (Tarjan). */
function cycles(graph: Map<string, Map<string, string[]>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const nodes = new Set([...graph.keys(), ...[...graph.values()].flatMap((edges) => [...edges.keys()])]);
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return found;
}

describe('the folders of src/', () => {
  const graph = folderGraph();

  it('import each other in one direction only: no cycle between folders', () => {
    const found = cycles(graph).map((component) =>
      [
        `${component.join(' ↔ ')}:`,
        ...component.flatMap((from) =>
          [...(graph.get(from) ?? new Map<string, string[]>()).entries()].filter(([to]) => component.includes(to)).flatMap(([, lines]) => lines),
        ),
      ].join('\n  '),
    );
    assert.deepStrictEqual(found, []);
  });

  /** What each layer may import: nothing above it. */
  const FORBIDDEN: readonly { readonly from: RegExp; readonly to: RegExp; readonly why: string }[] = [
    { from: /^core(\/|$)/, to: /^(host|workflows|editor|features|commands|cli)(\/|$)/, why: 'core is pure logic' },
    { from: /^host(\/|$)/, to: /^(workflows|editor|features|commands|cli)(\/|$)/, why: 'host holds only the adapters to the outside world' },
    { from: /^workflows(\/|$)/, to: /^(editor|features|commands|cli)(\/|$)/, why: 'a workflow serves the CLI and the editor alike' },
    { from: /^editor(\/|$)/, to: /^(features|commands|cli)(\/|$)/, why: 'editor plumbing serves the features and the commands' },
    { from: /^(features|commands)(\/|$)/, to: /^cli(\/|$)/, why: 'the CLI is a front end of its own' },
    {
      from: /^features(\/|$)/,
      to: /^commands(\/|$)/,
      why: 'features reach the command bundle only through editor/commandBundle.ts, which loads it on first use',
    },
  ];
  for (const rule of FORBIDDEN) {
    it(`keep ${rule.from.source} from importing ${rule.to.source}: ${rule.why}`, () => {
      const offenders = [...graph.entries()]
        .filter(([from]) => rule.from.test(from))
        .flatMap(([, edges]) => [...edges.entries()].filter(([to]) => rule.to.test(to)).flatMap(([, lines]) => lines));
      assert.deepStrictEqual(offenders, []);
    });
  }

  it('have no cycle between files either', () => {
    const files = new Map(sources().map((file) => [file, new Map(importsOf(file).map((target) => [target, [`${file} → ${target}`]]))]));
    assert.deepStrictEqual(cycles(files), []);
  });
});

describe('the activation shell (src/extension.ts, dist/extension.js)', () => {
  it('loads at activation only what registering the commands and waiting needs: the language comes from dist/language.js', () => {
    const text = fs.readFileSync(path.join(SRC, 'extension.ts'), 'utf8');
    // `import type` costs nothing at run time; anything else is bundled into the shell.
    const loaded = [...text.matchAll(/^import (?!type )[^;]*?from '(\.[^']+)';$/gm)].map((match) => match[1]!).sort();
    assert.deepStrictEqual(loaded, ['./core/platform', './editor/ids', './editor/prompts', './features/walkthrough']);
    assert.match(text, /require\('\.\/language'\)/, 'the language is required at first use');
    for (const leaf of ['core/platform.ts', 'editor/ids.ts', 'editor/prompts.ts', 'features/walkthrough.ts']) {
      const values = [...fs.readFileSync(path.join(SRC, leaf), 'utf8').matchAll(/^import (?!type )[^;]*?from '(\.[^']+)';$/gm)].map((match) => match[1]!);
      assert.deepStrictEqual(values, [], `${leaf} is part of the shell and imports no other module of ours`);
    }
  });
});
