// Uniform layouts read from WGSL structs (src/gpu/uniforms.ts), checked against the worked examples of
// the WGSL spec (§ 14.4 Memory Layout, "Structure Member Layout") and against the kernels' structs.
import { describe, expect, it } from 'vitest';
import { structLayout, uniformWriter, UniformLayoutError } from '../../src/gpu/uniforms';

const offsets = (code: string, name: string) => Object.fromEntries(structLayout(code, name).members.map((m) => [m.name, m.offset]));

// The spec's first example: implicit alignment only (a storage buffer in the spec; the layout is the same).
const SPEC_IMPLICIT = /* wgsl */ `
struct A {                                     //             align(8)  size(24)
    u: f32,                                    // offset(0)   align(4)  size(4)
    v: f32,                                    // offset(4)   align(4)  size(4)
    w: vec2<f32>,                              // offset(8)   align(8)  size(8)
    x: f32                                     // offset(16)  align(4)  size(4)
    // -- implicit struct size padding --      // offset(20)            size(4)
}

struct B {                                     //             align(16) size(160)
    a: vec2<f32>,                              // offset(0)   align(8)  size(8)
    // -- implicit member alignment padding -- // offset(8)             size(8)
    b: vec3<f32>,                              // offset(16)  align(16) size(12)
    c: f32,                                    // offset(28)  align(4)  size(4)
    d: f32,                                    // offset(32)  align(4)  size(4)
    // -- implicit member alignment padding -- // offset(36)            size(4)
    e: A,                                      // offset(40)  align(8)  size(24)
    f: vec3<f32>,                              // offset(64)  align(16) size(12)
    // -- implicit member alignment padding -- // offset(76)            size(4)
    g: array<A, 3>,    // element stride 24       offset(80)  align(8)  size(72)
    h: i32                                     // offset(152) align(4)  size(4)
    // -- implicit struct size padding --      // offset(156)           size(4)
}

@group(0) @binding(0)
var<storage,read_write> storage_buffer: B;
`;

// The spec's second example: @size and @align, in a uniform buffer.
const SPEC_EXPLICIT = /* wgsl */ `
struct A {                                     //             align(8)  size(32)
    u: f32,                                    // offset(0)   align(4)  size(4)
    v: f32,                                    // offset(4)   align(4)  size(4)
    w: vec2<f32>,                              // offset(8)   align(8)  size(8)
    @size(16) x: f32                           // offset(16)  align(4)  size(16)
}

struct B {                                     //             align(16) size(208)
    a: vec2<f32>,                              // offset(0)   align(8)  size(8)
    // -- implicit member alignment padding -- // offset(8)             size(8)
    b: vec3<f32>,                              // offset(16)  align(16) size(12)
    c: f32,                                    // offset(28)  align(4)  size(4)
    d: f32,                                    // offset(32)  align(4)  size(4)
    // -- implicit member alignment padding -- // offset(36)            size(12)
    @align(16) e: A,                           // offset(48)  align(16) size(32)
    f: vec3<f32>,                              // offset(80)  align(16) size(12)
    // -- implicit member alignment padding -- // offset(92)            size(4)
    g: array<A, 3>,    // element stride 32       offset(96)  align(8)  size(96)
    h: i32                                     // offset(192) align(4)  size(4)
    // -- implicit struct size padding --      // offset(196)           size(12)
}

@group(0) @binding(0)
var<uniform> uniform_buffer: B;
`;

describe('structLayout: the WGSL spec worked examples', () => {
  it('implicit layout: vec3 alignment, struct-in-struct padding, array stride 24', () => {
    const a = structLayout(SPEC_IMPLICIT, 'A');
    expect([a.align, a.size]).toEqual([8, 24]);
    expect(offsets(SPEC_IMPLICIT, 'A')).toEqual({ u: 0, v: 4, w: 8, x: 16 });
    const b = structLayout(SPEC_IMPLICIT, 'B');
    expect([b.align, b.size]).toEqual([16, 160]);
    expect(offsets(SPEC_IMPLICIT, 'B')).toEqual({ a: 0, b: 16, c: 28, d: 32, e: 40, f: 64, g: 80, h: 152 });
    const g = b.members.find((m) => m.name === 'g')!.layout;
    expect(g).toMatchObject({ kind: 'array', count: 3, stride: 24, align: 8, size: 72 });
  });

  it('@size and @align: member offsets, array stride 32, struct size 208', () => {
    const a = structLayout(SPEC_EXPLICIT, 'A');
    expect([a.align, a.size]).toEqual([8, 32]);
    const b = structLayout(SPEC_EXPLICIT, 'uniform_buffer'); // by the uniform variable's name
    expect(b.name).toBe('B');
    expect([b.align, b.size]).toEqual([16, 208]);
    expect(offsets(SPEC_EXPLICIT, 'B')).toEqual({ a: 0, b: 16, c: 28, d: 32, e: 48, f: 80, g: 96, h: 192 });
    expect(b.members.find((m) => m.name === 'g')!.layout).toMatchObject({ stride: 32, size: 96 });
  });

  it('writes the bytes at those offsets (f32, i32, vec3 with a scalar in its tail, nested arrays of structs)', () => {
    const w = uniformWriter(SPEC_EXPLICIT, 'B');
    expect(w.size).toBe(208);
    const elem = (k: number) => ({ u: k, v: k + 0.5, w: [k + 1, k + 2], x: -k });
    const buf = w.set({ a: [1, 2], b: [3, 4, 5], c: 6, d: 7, e: elem(10), f: [8, 9, 10.5], g: [elem(20), elem(30), elem(40)], h: -3 });
    const f32 = new Float32Array(buf);
    expect(Array.from(f32.slice(0, 9))).toEqual([1, 2, 0, 0, 3, 4, 5, 6, 7]);
    expect(Array.from(f32.slice(12, 17))).toEqual([10, 10.5, 11, 12, -10]); // e at 48
    expect(Array.from(f32.slice(20, 23))).toEqual([8, 9, 10.5]); // f at 80
    expect(Array.from(f32.slice(24, 29))).toEqual([20, 20.5, 21, 22, -20]); // g[0] at 96
    expect(Array.from(f32.slice(32, 37))).toEqual([30, 30.5, 31, 32, -30]); // g[1] at 128 (stride 32)
    expect(Array.from(f32.slice(40, 45))).toEqual([40, 40.5, 41, 42, -40]); // g[2] at 160
    expect(new Int32Array(buf)[48]).toBe(-3); // h at 192
  });
});

describe('structLayout: other spellings', () => {
  it('reads vecNf / vecNu / vec4<f32>, matrices, const-sized arrays and aliases', () => {
    const code = `
      const N = 3u;
      alias Color = vec4<f32>;
      struct S {
        a: u32,
        b: vec3u,     // 16
        c: mat3x3f,   // 32: three columns of stride 16
        d: vec2i,     // 80
        e: array<vec4f, N>, // 96
        f: Color,     // 144
        g: mat2x2<f32>, // 160: columns of stride 8
      }`;
    const s = structLayout(code, 'S');
    expect(offsets(code, 'S')).toEqual({ a: 0, b: 16, c: 32, d: 80, e: 96, f: 144, g: 160 });
    expect(s.size).toBe(176);
    const buf = uniformWriter(code, 'S').set({
      a: 1,
      b: [2, 3, 4],
      c: [1, 2, 3, 4, 5, 6, 7, 8, 9],
      d: [-1, -2],
      e: [
        [1, 1, 1, 1],
        [2, 2, 2, 2],
        [3, 3, 3, 3],
      ],
      f: [0.5, 0.25, 0, 1],
      g: [
        [1, 2],
        [3, 4],
      ],
    });
    const f32 = new Float32Array(buf);
    expect(Array.from(f32.slice(8, 20))).toEqual([1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 0]); // column-major, padded
    expect(Array.from(new Int32Array(buf, 80, 2))).toEqual([-1, -2]);
    expect(Array.from(f32.slice(40, 44))).toEqual([1, 2, 3, 4]);
  });

  it('refuses what it cannot lay out, naming the field', () => {
    expect(() => structLayout('struct S { a: bool }', 'S')).toThrow(/field 'a'.*bool.*not host-shareable/);
    expect(() => structLayout('struct S { a: array<f32> }', 'S')).toThrow(/field 'a'.*runtime-sized/);
    expect(() => structLayout('struct S { a: array<f32, K> }', 'S')).toThrow(/array count 'K'/);
    expect(() => structLayout('struct S { a: Mystery }', 'S')).toThrow(/unknown type 'Mystery'/);
    expect(() => structLayout('struct S { a: f16 }', 'S')).toThrow(/f16/);
    expect(() => structLayout('struct S { a: u32 }', 'params')).toThrow(UniformLayoutError);
    expect(() => structLayout('struct S { a: u32 }', 'params', 'shaders/x.wgsl')).toThrow("shaders/x.wgsl: no struct and no var<uniform> named 'params'");
  });
});

describe('uniformWriter', () => {
  const PARAMS = `
    struct Params { m: u32, n: u32, k: u32, trans_a: u32, offset_a: u32, offset_b: u32, offset_c: u32,
                    trans_b: u32, stride_a: u32, stride_b: u32, stride_c: u32, alpha: f32 }
    @group(0) @binding(0) var<uniform> params: Params;`;

  it("packs matmul's Params as the hand-written 48 bytes did (alpha the float at index 11)", () => {
    const w = uniformWriter(PARAMS, 'params');
    expect(w.size).toBe(48);
    const buf = w.set({
      m: 3,
      n: 5,
      k: 7,
      trans_a: 1,
      offset_a: 8,
      offset_b: 12,
      offset_c: 16,
      trans_b: 0,
      stride_a: 21,
      stride_b: 35,
      stride_c: 15,
      alpha: -0.75,
    });
    expect(Array.from(new Uint32Array(buf, 0, 11))).toEqual([3, 5, 7, 1, 8, 12, 16, 0, 21, 35, 15]);
    expect(new Float32Array(buf)[11]).toBe(-0.75);
  });

  it('follows a reordered struct (an edited kernel) and zeroes padding fields', () => {
    const code = 'struct P { alpha: f32, _pad0: u32, size: vec2u }\n@group(0) @binding(0) var<uniform> params: P;';
    const buf = uniformWriter(code, 'params').set({ size: [4, 9], alpha: 2.5 });
    expect(new Float32Array(buf)[0]).toBe(2.5);
    expect(Array.from(new Uint32Array(buf, 4, 3))).toEqual([0, 4, 9]);
  });

  it('names an unknown, a missing or a badly typed field', () => {
    const w = uniformWriter(PARAMS, 'params', { file: 'shaders/matmul.wgsl' });
    const ok = { m: 1, n: 1, k: 1, trans_a: 0, offset_a: 0, offset_b: 0, offset_c: 0, trans_b: 0, stride_a: 0, stride_b: 0, stride_c: 0, alpha: 1 };
    expect(() => w.set({ ...ok, alpah: 1 })).toThrow("shaders/matmul.wgsl: Params: struct Params has no field 'alpah'");
    const { alpha: _, ...noAlpha } = ok;
    expect(() => w.set(noAlpha)).toThrow("no value for field 'alpha' of struct Params");
    expect(() => w.set({ ...ok, m: -1 })).toThrow('Params.m: u32 needs an integer in 0 … 4294967295, got -1');
    expect(() => w.set({ ...ok, m: 2.5 })).toThrow(/Params\.m: u32/);
    expect(() => w.set({ ...ok, alpha: [1, 2] })).toThrow(/Params\.alpha: f32 needs a number/);
    const v = uniformWriter('struct V { a: vec3f }', 'V');
    expect(() => v.set({ a: [1, 2] })).toThrow('V.a: needs 3 values, got 2');
  });

  it("refuses a struct whose fields differ from the kernel's, naming them", () => {
    const fields = ['m', 'n', 'k', 'trans_a', 'offset_a', 'offset_b', 'offset_c', 'trans_b', 'stride_a', 'stride_b', 'stride_c', 'alpha'];
    expect(uniformWriter(PARAMS, 'params', { fields }).size).toBe(48);
    const edited = PARAMS.replace('alpha: f32', 'beta: f32');
    expect(() => uniformWriter(edited, 'params', { file: 'shaders/matmul.wgsl', fields })).toThrow(
      /^shaders\/matmul\.wgsl: struct Params lacks 'alpha' and has 'beta' that this kernel does not write/,
    );
  });
});
