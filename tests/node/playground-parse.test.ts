// The Shaders view's WGSL reader on every shipped shader (and on awkward sources). The browser test
// playground.test.ts cross-checks it with Chromium's WebGPU: pipelines built from the parsed layout.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseWgsl, stripComments, type WgslBinding } from '../../src/gpu/wgsl-parse';
import { KERNEL_CATALOG, findKernel, headerComment, matmulOptionsFor } from '../../src/playground/catalog';
import { NAIVE_MATMUL_DIRECT_WGSL, NAIVE_MATMUL_TILED_WGSL } from '../../src/playground/examples';
import { isCommonFile } from '../../src/gpu/wgsl-modules';
import { readShaderModule } from '../helpers/shader-module';

// Kernel files; a common block (shaders/matmul-common.wgsl) is part of its family's modules, not a kernel.
const shaderFiles = readdirSync('shaders')
  .filter((f) => f.endsWith('.wgsl') && !isCommonFile(f))
  .sort();

const kindOf = (b: WgslBinding): GPUBufferBindingType => (b.addressSpace === 'uniform' ? 'uniform' : b.access === 'read' ? 'read-only-storage' : 'storage');

const EXPECTED_BINDINGS: Record<string, string[]> = {
  matmul: ['uniform', 'read-only-storage', 'read-only-storage', 'storage'],
  moments: ['uniform', 'read-only-storage', 'storage'],
  norms: ['uniform', 'read-only-storage', 'read-only-storage', 'storage'],
  elementwise: ['uniform', 'read-only-storage', 'read-only-storage', 'read-only-storage', 'storage'],
};

describe('parseWgsl on every shipped shader', () => {
  it('the catalog lists every kernel file in shaders/, each as its full module', () => {
    expect(KERNEL_CATALOG.map((k) => `${k.id}.wgsl`).sort()).toEqual(shaderFiles);
    for (const k of KERNEL_CATALOG) expect(k.code).toBe(readShaderModule(k.file));
    // The matmul kernels show their shared declarations too; their header is still the kernel's own.
    expect(findKernel('matmul-direct')!.code).toContain(readFileSync('shaders/matmul-common.wgsl', 'utf8'));
    expect(findKernel('matmul-direct')!.header).toBe(headerComment(readFileSync('shaders/matmul-direct.wgsl', 'utf8')));
    expect(KERNEL_CATALOG[0].id).toBe('matmul');
    expect(findKernel('shaders/matmul-direct.wgsl')?.variant).toBe('direct');
    expect(findKernel('matmul')?.variant).toBe('tiled');
    // The subgroup variant's vec4 path is its own file but the same variant, edited through subgroupVec4Code.
    expect(findKernel('matmul-subgroup-vec4')?.variant).toBe('subgroup');
    expect(matmulOptionsFor(findKernel('matmul-subgroup-vec4')!, 'X')).toEqual({ variant: 'subgroup', subgroupVec4Code: 'X' });
    expect(matmulOptionsFor(findKernel('matmul-subgroup')!, 'X')).toEqual({ variant: 'subgroup', code: 'X' });
    expect(matmulOptionsFor(findKernel('matmul')!, 'X')).toEqual({ variant: 'tiled', code: 'X' });
  });

  for (const file of shaderFiles) {
    const code = readShaderModule(`shaders/${file}`);
    const iface = parseWgsl(code);
    const id = file.replace('.wgsl', '');
    const family = findKernel(id)!.family;

    it(`${file}: bindings match the host's layout, in order`, () => {
      expect(iface.bindings.every((b) => b.group === 0)).toBe(true);
      // A binding may be declared twice as two views of one buffer (moments.wgsl reads `src` also as vec4s,
      // in another entry point); the views must agree on address space and access, like one layout entry.
      const unique = iface.bindings.filter((b, i) => iface.bindings.findIndex((c) => c.binding === b.binding) === i);
      for (const b of iface.bindings) {
        const first = unique.find((u) => u.binding === b.binding)!;
        expect([b.name, b.addressSpace, b.access]).toEqual([b.name, first.addressSpace, first.access]);
      }
      expect(unique.map((b) => b.binding)).toEqual(unique.map((_, i) => i));
      if (family !== 'other') {
        expect(unique.map(kindOf)).toEqual(EXPECTED_BINDINGS[family]);
        expect(iface.bindings[0].type).toBe('Params');
      }
      // Declared at the reported line.
      for (const b of iface.bindings) expect(code.split('\n')[b.line - 1]).toContain(`var<`);
    });

    it(`${file}: every override declaration is found, with its line`, () => {
      const declared = [...stripComments(code).matchAll(/\boverride\s+(\w+)/g)].map((m) => m[1]);
      expect(iface.overrides.map((o) => o.name)).toEqual(declared);
      if (family !== 'other') expect(declared.length).toBeGreaterThan(0);
      for (const o of iface.overrides) {
        expect(code.split('\n')[o.line - 1]).toContain(`override ${o.name}`);
        expect(o.type).not.toBeNull();
      }
    });
  }

  it('reads defaults, types, expressions and comments of matmul.wgsl', () => {
    const o = parseWgsl(readShaderModule('shaders/matmul.wgsl')).overrides;
    expect(o[0]).toMatchObject({ name: 'TILE_M', type: 'u32', defaultValue: '64u', id: null });
    expect(o[0].comment).toMatch(/rows of C per workgroup/);
    expect(o.find((x) => x.name === 'THREADS_X')?.defaultValue).toBe('TILE_N / WPT');
  });
});

describe('parseWgsl on awkward sources', () => {
  const src = [
    '// @group(0) @binding(9) var<storage, read> fake: array<f32>;',
    '/* override FAKE: u32 = 1u; /* nested */ still comment: override FAKE2 = 2; */',
    '@id(7) override SCALE: f32 = 1.5;',
    'override COUNT = 3u;',
    'override NEEDED: i32;',
    'struct P { a: u32, b: array<f32, 4>, @align(16) c: vec3f }',
    '@binding(2)',
    '  @group(1)',
    '  var<storage, read_write> data: array< vec4f >;',
    '@group(0) @binding(0) var<uniform> p: P;',
    '@group(0) @binding(1) var tex: texture_2d<f32>;',
    '@compute',
    '@workgroup_size(8, 8, 1)',
    'fn main() {}',
    '@workgroup_size(64) @compute fn other() {}',
  ].join('\n');
  const w = parseWgsl(src);

  it('ignores declarations inside line and nested block comments', () => {
    expect(w.bindings.map((b) => b.name)).not.toContain('fake');
    expect(w.overrides.map((o) => o.name)).toEqual(['SCALE', 'COUNT', 'NEEDED']);
  });
  it('reads @id, inferred types and overrides without defaults', () => {
    expect(w.overrides[0]).toMatchObject({ id: 7, type: 'f32', defaultValue: '1.5', line: 3 });
    expect(w.overrides[1]).toMatchObject({ type: 'u32', defaultValue: '3u', line: 4 });
    expect(w.overrides[2]).toMatchObject({ type: 'i32', defaultValue: null, line: 5 });
  });
  it('reads bindings with attributes in any order and across lines, sorted by group and binding', () => {
    expect(w.bindings.map((b) => [b.group, b.binding, b.name, b.addressSpace, b.access, b.type])).toEqual([
      [0, 0, 'p', 'uniform', 'read', 'P'],
      [0, 1, 'tex', 'handle', 'read', 'texture_2d<f32>'],
      [1, 2, 'data', 'storage', 'read_write', 'array<vec4f>'],
    ]);
    expect(w.bindings[2].line).toBe(7);
  });
  it('reads entry points with their workgroup sizes, attributes before or after @compute', () => {
    expect(w.entryPoints).toEqual([
      { name: 'main', stage: 'compute', workgroupSize: ['8', '8', '1'], line: 12 },
      { name: 'other', stage: 'compute', workgroupSize: ['64'], line: 15 },
    ]);
  });
  it('reads struct fields, keeping commas inside <…>, with their @align / @size', () => {
    expect(w.structs[0].fields).toEqual([
      { name: 'a', type: 'u32' },
      { name: 'b', type: 'array<f32, 4>' },
      { name: 'c', type: 'vec3f', align: 16 },
    ]);
  });
  it('keeps line numbers when stripping comments', () => {
    expect(stripComments('a /* x\ny */ b // z\nc').split('\n').length).toBe(3);
  });
  it('headerComment takes the opening // block', () => {
    expect(headerComment('// one\n//  two\n\ncode // not this')).toBe('one\n two');
  });
});

describe('the naive matmul examples are drop-ins', () => {
  for (const [name, code, variant, host] of [
    ['direct', NAIVE_MATMUL_DIRECT_WGSL, 'matmul-direct', ['ROW_BLOCKS', 'COL_BLOCKS', 'THREADS_X', 'THREADS_Y']],
    ['tiled', NAIVE_MATMUL_TILED_WGSL, 'matmul', ['TILE_M', 'TILE_N', 'TILE_K']],
  ] as const) {
    it(`naive (${name} contract) declares the built-in's bindings and every override the host sets`, () => {
      const mine = parseWgsl(code);
      const builtIn = findKernel(variant)!.iface;
      expect(mine.bindings).toEqual(builtIn.bindings.map((b, i) => ({ ...b, line: mine.bindings[i].line })));
      for (const k of host) expect(mine.overrides.map((o) => o.name)).toContain(k);
      expect(mine.entryPoints.map((e) => e.name)).toEqual(['main']);
      expect(mine.structs.find((s) => s.name === 'Params')).toEqual({ ...builtIn.structs.find((s) => s.name === 'Params'), line: expect.any(Number) });
    });
  }
});
