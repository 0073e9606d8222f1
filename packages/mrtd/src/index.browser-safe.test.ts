// The main entry (src/index.ts) is what the phone app's browser build (Vite) imports: walking its static
// import graph must reach no node: module, no Node-only package and none of the files only src/node.ts exports.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = dirname(fileURLToPath(import.meta.url));
const NODE_ONLY_PACKAGES = ['@pokusew/pcsclite', 'sharp'];

/** The specifiers a module loads at run time: `import type` / `export type` are erased, nothing else is. */
function runtimeSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  for (const m of code.matchAll(
    /^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/gm,
  )) {
    if (m[1] === undefined && m[2] !== undefined) out.push(m[2]);
  }
  for (const m of code.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

function isNodeOnly(specifier: string): boolean {
  const name = specifier.startsWith('@')
    ? specifier.split('/').slice(0, 2).join('/')
    : specifier.split('/')[0];
  return (
    specifier.startsWith('node:') ||
    builtinModules.includes(name ?? '') ||
    NODE_ONLY_PACKAGES.includes(name ?? '')
  );
}

interface Graph {
  /** Every file reached, with the file that first imported it (undefined for the entry). */
  readonly files: Map<string, string | undefined>;
  /** Node-only specifiers, with the file that imports each. */
  readonly nodeImports: { readonly file: string; readonly specifier: string }[];
}

function walk(entry: string): Graph {
  const files = new Map<string, string | undefined>([[entry, undefined]]);
  const nodeImports: Graph['nodeImports'] = [];
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const specifier of runtimeSpecifiers(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier);
        assert.ok(existsSync(target), `${relative(SRC, file)} imports missing ${specifier}`);
        if (!files.has(target)) {
          files.set(target, file);
          queue.push(target);
        }
      } else if (isNodeOnly(specifier)) {
        nodeImports.push({ file, specifier });
      }
    }
  }
  return { files, nodeImports };
}

/** index.ts -> ... -> file, for failure messages. */
function chain(graph: Graph, file: string): string {
  const path: string[] = [];
  for (let f: string | undefined = file; f !== undefined; f = graph.files.get(f))
    path.unshift(relative(SRC, f));
  return path.join(' -> ');
}

const index = resolve(SRC, 'index.ts');
const node = resolve(SRC, 'node.ts');

test('src/index.ts reaches no node: module or Node-only package', () => {
  const graph = walk(index);
  const found = graph.nodeImports.map((i) => `${i.specifier} in ${chain(graph, i.file)}`);
  assert.deepEqual(found, []);
});

test('src/index.ts reaches none of the files only src/node.ts exports', () => {
  const graph = walk(index);
  const nodeOnlyFiles = runtimeSpecifiers(readFileSync(node, 'utf8'))
    .map((s) => resolve(SRC, s))
    .filter((f) => f !== index);
  assert.ok(nodeOnlyFiles.length >= 10, 'node.ts lists its Node-only modules');
  const reached = nodeOnlyFiles.filter((f) => graph.files.has(f)).map((f) => chain(graph, f));
  assert.deepEqual(reached, []);
  assert.ok(!graph.files.has(node), 'index.ts must not import node.ts');
});

test('the walker sees the whole library and finds Node imports where they are', () => {
  const browser = walk(index);
  for (const f of ['reader/read-document.ts', 'pace/perform-pace.ts', 'pa/sod.ts', 'asn1/der.ts']) {
    assert.ok(browser.files.has(resolve(SRC, f)), `${f} is reached from index.ts`);
  }
  const server = walk(node);
  const specifiers = new Set(server.nodeImports.map((i) => i.specifier));
  for (const s of ['node:crypto', 'node:net', 'node:fs', '@pokusew/pcsclite', 'sharp']) {
    assert.ok(specifiers.has(s), `${s} is found from node.ts`);
  }
  assert.deepEqual(
    runtimeSpecifiers("import type { A } from 'node:fs';\nexport type { B } from './b.ts';"),
    [],
  );
  assert.deepEqual(runtimeSpecifiers("import { type A } from './a.ts';\nimport './side.ts';"), [
    './a.ts',
    './side.ts',
  ]);
});
