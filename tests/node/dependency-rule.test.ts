// The dependency rule of src/: folders import only downward,
//   gpu → kernels → (experiments | viz | playground) → bench → state → ui
// with experiments, viz and playground side by side (none imports another; bench measures the kernels and
// the experiments), and no import cycles between files.
// The import graph is read from the sources (static imports, `export … from`, dynamic `import()` and
// `import.meta.glob` patterns). KNOWN lists the violations main still has, each to be removed as it is
// fixed: the test fails on any violation not listed (a new upward import or cycle) and on a listed one that
// is gone (so the list only shrinks).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');
const LEVEL: Record<string, number> = { gpu: 0, kernels: 1, experiments: 2, viz: 2, playground: 2, bench: 2.5, state: 3, ui: 4 };

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
  const globs = [...text.matchAll(/import\.meta\.glob\(\s*(\[[^\]]*\]|['"][^'"]+['"])/g)].flatMap((m) => [...m[1].matchAll(/['"]([^'"]+)['"]/g)].map((g) => g[1]));
  const out = specs.map((s) => resolveImport(file, s)).filter((p): p is string => p !== null && p.startsWith(SRC));
  for (const g of globs) {
    // './ui/gp-*-lab.ts' style patterns: match the files of that folder.
    const dir = resolve(dirname(file), dirname(g));
    const re = new RegExp(`^${g.split('/').pop()!.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    try {
      for (const name of readdirSync(dir)) if (re.test(name)) out.push(join(dir, name));
    } catch {
      // a pattern outside src/
    }
  }
  return out;
}

const folder = (file: string) => relative(SRC, file).split('/')[0];
const rel = (file: string) => relative(SRC, file);

function graph() {
  const all = files(SRC);
  return new Map(all.map((f) => [f, importsOf(f)]));
}

/** Imports that go up a level or sideways between the middle folders, as `from -> to`. */
function layerViolations(g: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const [from, tos] of g) {
    const a = folder(from);
    if (!(a in LEVEL)) continue;
    for (const to of tos) {
      const b = folder(to);
      if (!(b in LEVEL) || a === b) continue;
      if (LEVEL[b] >= LEVEL[a]) out.push(`${rel(from)} -> ${rel(to)}`);
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
const KNOWN_LAYER: string[] = [
  // The form and heatmap view model belong with the Depth lab (feature folder), above viz and state.
  'experiments/depth-lab-form.ts -> state/url-state.ts',
  'experiments/depth-lab-form.ts -> viz/heatmap-model.ts',
  'experiments/depth-lab-form.ts -> viz/ticks.ts',
  // The kernels read the Shaders view's overrides instead of taking their source as an input.
  'kernels/elementwise.ts -> playground/kernel-overrides.ts',
  'kernels/matmul.ts -> playground/kernel-overrides.ts',
  'kernels/moments.ts -> playground/kernel-overrides.ts',
  'kernels/norms.ts -> playground/kernel-overrides.ts',
  // The chart models take the Normalization lab's types instead of plain data.
  'viz/contours.ts -> experiments/normalize-types.ts',
  'viz/scatter-model.ts -> experiments/normalize-types.ts',
];
const KNOWN_CYCLES: string[] = ['experiments/classify.ts <-> experiments/deep-net-types.ts', 'experiments/cpu/deep-net-cpu.ts <-> experiments/sweep.ts'];

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
