// The dependency rule of src/: layers import only downward,
//   (errors, locale-format) → gpu → kernels → (labs' engines | viz | playground) → bench → labs' forms and URL state → (ui | cli)
// with the labs' engines, viz and playground side by side (none imports another; bench measures the kernels
// and the labs), and no import cycles between files. A lab is a feature folder, src/labs/<lab>/: its
// engine files sit at the engines' level; its view models (form, compare, export, session, inputs) and url-state.ts,
// and labs/lab-settings.ts, which reads every lab's URL state, at the URL-state level. Files directly under
// labs/ are shared by every lab. The Training lab builds on the Depth lab's net, so labs/training may import
// labs/depth; no other lab imports another.
// The import graph is read from the sources (static imports, `export … from`, dynamic `import()` and
// `import.meta.glob` patterns). KNOWN lists the violations main still has, each to be removed as it is
// fixed: the test fails on any violation not listed (a new upward import or cycle) and on a listed one that
// is gone (so the list only shrinks).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');
const LEVEL: Record<string, number> = {
  'errors.ts': -1,
  'locale-format.ts': -1,
  gpu: 0,
  kernels: 1,
  labs: 2,
  viz: 2,
  playground: 2,
  bench: 2.5,
  'url-state': 3,
  ui: 4,
  cli: 4,
};
/** Lab folders that may import another lab's engine. */
const LAB_USES: Record<string, string[]> = { 'labs/training': ['labs/depth'] };

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.ts$/.test(name) ? [p] : [];
  });
}

function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec.replace(/\?.*$/, ''));
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile() && candidate.endsWith('.ts')) return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

/** Relative imports of one file, resolved to .ts files under src/ (shaders and other assets are left out). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [
    ...text.matchAll(/^\s*(?:import|export)\b[^'"`;]*?\bfrom\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]);
  const globs = [...text.matchAll(/import\.meta\.glob\(\s*(\[[^\]]*\]|['"][^'"]+['"])/g)].flatMap((m) =>
    [...m[1].matchAll(/['"]([^'"]+)['"]/g)].map((g) => g[1]),
  );
  const out = specs.map((s) => resolveImport(file, s)).filter((p): p is string => p !== null && p.startsWith(SRC));
  for (const g of globs) {
    // './ui/gp-*-lab.ts' style patterns: match the files of that folder.
    const dir = resolve(dirname(file), dirname(g));
    const re = new RegExp(
      `^${g
        .split('/')
        .pop()!
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')}$`,
    );
    try {
      for (const name of readdirSync(dir)) if (re.test(name)) out.push(join(dir, name));
    } catch {
      // a pattern outside src/
    }
  }
  return out;
}

/** The layer a file belongs to: its top folder, or for a lab's form and URL state the URL-state layer. */
function layer(file: string): string {
  const parts = relative(SRC, file).split('/');
  if (parts[0] === 'labs' && /^(form|compare|export|url-state|lab-settings|session|inputs)\.ts$/.test(parts[parts.length - 1])) return 'url-state';
  return parts[0];
}
/** labs/<lab> for a lab's file, otherwise the top folder: imports inside one unit are never violations. */
function unit(file: string): string {
  const parts = relative(SRC, file).split('/');
  return parts[0] === 'labs' && parts.length > 2 ? `labs/${parts[1]}` : parts[0];
}
const rel = (file: string) => relative(SRC, file);

function graph() {
  const all = files(SRC);
  return new Map(all.map((f) => [f, importsOf(f)]));
}

/** Imports that go up a level or sideways between the middle folders, as `from -> to`. */
function layerViolations(g: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const [from, tos] of g) {
    const a = layer(from);
    if (!(a in LEVEL)) continue;
    for (const to of tos) {
      const b = layer(to);
      if (!(b in LEVEL) || unit(from) === unit(to)) {
        // Inside one lab, the engine must still not import its own form or URL state.
        if (b in LEVEL && LEVEL[b] > LEVEL[a]) out.push(`${rel(from)} -> ${rel(to)}`);
        continue;
      }
      if (a === b && a !== 'labs' && a !== 'url-state') continue;
      const shared = unit(to) === 'labs' && unit(from).startsWith('labs/');
      if ((shared || (LAB_USES[unit(from)] ?? []).includes(unit(to))) && LEVEL[b] <= LEVEL[a]) continue;
      if (LEVEL[b] > LEVEL[a] || (LEVEL[b] === LEVEL[a] && a !== 'url-state')) out.push(`${rel(from)} -> ${rel(to)}`);
    }
  }
  return [...new Set(out)].sort();
}

/** Each import cycle once, as its files in order starting from the smallest name. */
function cycles(g: Map<string, string[]>): string[] {
  // Tarjan's strongly connected components; a component of more than one file holds a cycle.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(rel(w));
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort().join(' <-> '));
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return out.sort();
}

// Today's violations on main, to be fixed by the architecture issue; remove each line as it goes.
const KNOWN_LAYER: string[] = [];
const KNOWN_CYCLES: string[] = [];

describe('dependency rule', () => {
  const g = graph();

  it('reads the import graph (sanity: the app shell imports the labs, the kernels import the GPU layer)', () => {
    expect(g.size).toBeGreaterThan(50);
    const app = g.get(join(SRC, 'ui/gp-app.ts'))!.map(rel);
    expect(app).toContain('gpu/context.ts');
    const main = g.get(join(SRC, 'main.ts'))!.map(rel);
    expect(main).toContain('ui/gp-depth-lab.ts');
    expect(g.get(join(SRC, 'kernels/matmul.ts'))!.map(rel)).toContain('gpu/shader.ts');
  });

  it('has no upward or sideways import between folders beyond the known ones', () => {
    expect(layerViolations(g)).toEqual(KNOWN_LAYER);
  });

  it('has no import cycle beyond the known ones', () => {
    expect(cycles(g)).toEqual(KNOWN_CYCLES);
  });
});
