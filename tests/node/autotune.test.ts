// The matmul tuning cache (keyed per adapter, memory + localStorage) and the plain-data choices around it:
// what 'auto' falls back to, which shapes may take the vec4 path, the candidate lists. No GPU needed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { autoMatmulVariant, vec4Aligned } from '../../src/kernels/matmul';
import { defaultMatmulConfig, MATMUL_VARIANTS, sizesProblem } from '../../src/kernels/matmul-variants';
import {
  getMatmulTuning,
  MATMUL_TUNING_PREFIX,
  MatmulTuningStore,
  matmulAdapterKey,
  setMatmulTuning,
  type MatmulTuning,
} from '../../src/kernels/matmul-tuning';
import { isSoftwareAdapter } from '../../src/gpu/adapter';
import { MATMUL_CANDIDATES, TUNING_SHAPES, VERIFY_SHAPES } from '../../src/kernels/autotune';
import { InputError } from '../../src/errors';
import { KernelOverrides } from '../../src/playground/kernel-overrides';

/** The tuning store of the current test (over its storage); the fake contexts read it as `gpu.tunings`. */
let tunings: MatmulTuningStore;
const adapter = (vendor: string, architecture: string, description = '') => ({
  summary: { vendor, architecture, device: '', description, isFallbackAdapter: false } as never,
  get tunings() {
    return tunings;
  },
});
const swiftshader = adapter('google', 'swiftshader', 'SwiftShader Device (Subzero)');
const nvidia = adapter('nvidia', 'ampere', 'NVIDIA GeForce RTX 3080');

function tuning(ctx: { summary: never }, variant: MatmulTuning['variant'], constants: MatmulTuning['constants']): MatmulTuning {
  return {
    adapterKey: matmulAdapterKey(ctx.summary),
    variant,
    constants,
    candidates: [{ variant, constants, ms: 1.5, verified: true }],
    measuredAt: '2026-01-01T00:00:00.000Z',
  };
}

/** A Map-backed localStorage, given to a fresh tuning store per test. */
class MemoryStorage {
  map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, String(v));
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
  clear() {
    this.map.clear();
  }
}

let store: MemoryStorage;
beforeEach(() => {
  store = new MemoryStorage();
  tunings = new MatmulTuningStore(store);
});
afterEach(() => {
  for (const ctx of [swiftshader, nvidia]) setMatmulTuning(ctx, null);
});

describe('matmul tuning cache', () => {
  it('is keyed per adapter: a tuning for one adapter is not seen by another', () => {
    expect(matmulAdapterKey(swiftshader.summary)).not.toBe(matmulAdapterKey(nvidia.summary));
    expect(getMatmulTuning(swiftshader)).toBeNull();
    const t = tuning(swiftshader, 'vec4', { microM: 8, microN: 16, threadsX: 4, threadsY: 4 });
    setMatmulTuning(swiftshader, t);
    expect(getMatmulTuning(swiftshader)).toEqual(t);
    expect(getMatmulTuning(nvidia)).toBeNull();
    const g = tuning(nvidia, 'tiled', { tileM: 32, tileN: 32, tileK: 16 });
    setMatmulTuning(nvidia, g);
    expect(getMatmulTuning(nvidia)).toEqual(g);
    expect(getMatmulTuning(swiftshader)).toEqual(t);
  });

  it('persists to localStorage under the adapter key, and a fresh session reads it back', () => {
    const t = tuning(swiftshader, 'direct', { microM: 16, microN: 16, threadsX: 4, threadsY: 4 });
    setMatmulTuning(swiftshader, t);
    const key = MATMUL_TUNING_PREFIX + matmulAdapterKey(swiftshader.summary);
    expect(JSON.parse(store.getItem(key)!)).toEqual(t);
    // Clearing forgets memory and storage; writing the stored text back stands for a new page load.
    const text = store.getItem(key)!;
    setMatmulTuning(swiftshader, null);
    expect(store.getItem(key)).toBeNull();
    expect(getMatmulTuning(swiftshader)).toBeNull();
    store.setItem(key, text);
    expect(getMatmulTuning(swiftshader)).toEqual(t);
  });

  it('persist = false keeps the tuning in memory only', () => {
    setMatmulTuning(nvidia, tuning(nvidia, 'tiled', { tileM: 64, tileN: 64, tileK: 16 }), false);
    expect(store.length).toBe(0);
    expect(getMatmulTuning(nvidia)?.variant).toBe('tiled');
  });

  it('works without localStorage (memory only)', () => {
    tunings = new MatmulTuningStore(null);
    const t = tuning(nvidia, 'tiled', { tileM: 32, tileN: 64, tileK: 8 });
    setMatmulTuning(nvidia, t);
    expect(getMatmulTuning(nvidia)).toEqual(t);
  });

  it('ignores stored entries that are corrupt, for another adapter, or name an unknown variant', () => {
    const key = MATMUL_TUNING_PREFIX + matmulAdapterKey(swiftshader.summary);
    store.setItem(key, '{not json');
    expect(getMatmulTuning(swiftshader)).toBeNull();
    store.setItem(key, JSON.stringify(tuning(nvidia, 'tiled', {})));
    expect(getMatmulTuning(swiftshader)).toBeNull();
    store.setItem(key, JSON.stringify({ ...tuning(swiftshader, 'direct', {}), variant: 'turbo' }));
    expect(getMatmulTuning(swiftshader)).toBeNull();
  });

  it('refuses a tuning measured on another adapter', () => {
    expect(() => setMatmulTuning(swiftshader, tuning(nvidia, 'tiled', {}))).toThrow(InputError);
  });
});

describe("what 'auto' runs without a tuning", () => {
  it('a register-blocked kernel on CPU adapters, the tiled one on GPUs', () => {
    expect(isSoftwareAdapter(swiftshader.summary)).toBe(true);
    expect(isSoftwareAdapter(nvidia.summary)).toBe(false);
    expect(['direct', 'vec4']).toContain(defaultMatmulConfig(swiftshader.summary).variant);
    expect(defaultMatmulConfig(nvidia.summary)).toEqual({ variant: 'tiled', constants: { tileM: 64, tileN: 64, tileK: 16 } });
    // A copy: callers cannot change the defaults.
    defaultMatmulConfig(nvidia.summary).constants.tileM = 8;
    expect(defaultMatmulConfig(nvidia.summary).constants.tileM).toBe(64);
  });
});

describe('vec4Aligned', () => {
  it("needs multiples of 4 on each operand's contiguous axis, offsets and batch strides", () => {
    expect(vec4Aligned({ m: 1, n: 4, k: 4 })).toBe(true);
    expect(vec4Aligned({ m: 1, n: 4, k: 4, transA: true })).toBe(false);
    expect(vec4Aligned({ m: 4, n: 4, k: 3, transA: true })).toBe(true);
    expect(vec4Aligned({ m: 4, n: 3, k: 4, transB: true })).toBe(true);
    expect(vec4Aligned({ m: 4, n: 4, k: 4, offsetA: 1 })).toBe(false);
    expect(vec4Aligned({ m: 4, n: 4, k: 4, offsetB: 6 })).toBe(false);
    expect(vec4Aligned({ m: 4, n: 4, k: 4, batch: 2, strideA: 0, strideB: 20 })).toBe(true);
    expect(vec4Aligned({ m: 4, n: 4, k: 4, batch: 2, strideA: 18 })).toBe(false);
    // A stride that does not matter (batch 1) does not count.
    expect(vec4Aligned({ m: 4, n: 4, k: 4, batch: 1, strideA: 18 })).toBe(true);
  });
});

describe('variants and candidates', () => {
  it('MATMUL_VARIANTS names every variant once with its shader and a description', () => {
    expect(MATMUL_VARIANTS.map((v) => v.name)).toEqual(['tiled', 'direct', 'vec4', 'subgroup']);
    for (const v of MATMUL_VARIANTS) {
      expect(v.file).toMatch(/^shaders\/matmul.*\.wgsl$/);
      expect(v.description.length).toBeGreaterThan(10);
      expect(v.options.length).toBeGreaterThan(0);
    }
  });

  it('the candidate lists use known variants and only the options of their variant', () => {
    for (const list of [MATMUL_CANDIDATES.cpu, MATMUL_CANDIDATES.gpu]) {
      expect(list.length).toBeGreaterThanOrEqual(2);
      for (const c of list) {
        const info = MATMUL_VARIANTS.find((v) => v.name === c.variant)!;
        expect(info, c.variant).toBeDefined();
        for (const key of Object.keys(c.constants)) expect(info.options, `${c.variant}.${key}`).toContain(key);
        expect(sizesProblem(c.variant, c.constants), JSON.stringify(c)).toBeNull();
      }
    }
    // Both kinds keep a GPU-shaped (tiled) and a register-blocked choice in reach of the tune or the default.
    expect(MATMUL_CANDIDATES.gpu.some((c) => c.variant === 'tiled')).toBe(true);
    // The CPU list keeps a kernel that needs no subgroups (the subgroup one is skipped on devices without).
    expect(MATMUL_CANDIDATES.cpu.some((c) => c.variant === 'subgroup')).toBe(true);
    expect(MATMUL_CANDIDATES.cpu.some((c) => c.variant === 'direct')).toBe(true);
  });

  it('verification covers the vec4 path for every transpose and the scalar path', () => {
    const combos = new Set(VERIFY_SHAPES.filter((s) => vec4Aligned(s)).map((s) => `${Boolean(s.transA)}${Boolean(s.transB)}`));
    expect(combos.size).toBe(4);
    expect(VERIFY_SHAPES.some((s) => !vec4Aligned(s))).toBe(true);
    expect(VERIFY_SHAPES.some((s) => s.k % 4 !== 0 && vec4Aligned(s))).toBe(true); // the partial last step
    expect(TUNING_SHAPES.length).toBeGreaterThanOrEqual(2);
  });
});

describe("autoMatmulVariant: what 'auto' runs (an override switched on, else the tuning, else the default)", () => {
  // The user kernels switched on: the fake contexts' `sources` read this store, as the app's read its own.
  const kernelOverrides = new KernelOverrides(null);
  const cpu = (subgroups: boolean) => ({
    summary: { vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: true, hasSubgroups: subgroups } as never,
    features: new Set(subgroups ? ['subgroups'] : []),
    info: {} as GPUAdapterInfo,
    sources: { code: (file: string) => kernelOverrides.codeFor(file) },
    tunings,
  });
  afterEach(() => {
    for (const v of MATMUL_VARIANTS) kernelOverrides.clear(v.file);
    setMatmulTuning(cpu(true), null);
  });

  it('without a tuning: subgroup where the device has subgroups, direct where it does not', () => {
    expect(autoMatmulVariant(cpu(true))).toBe('subgroup');
    expect(autoMatmulVariant(cpu(false))).toBe('direct');
  });

  it('a tuning wins over the default; a subgroup tuning on a device without subgroups runs direct', () => {
    setMatmulTuning(cpu(true), tuning(cpu(true), 'vec4', { microM: 16, microN: 16 }));
    expect(autoMatmulVariant(cpu(true))).toBe('vec4');
    setMatmulTuning(cpu(true), tuning(cpu(true), 'subgroup', { microM: 16, microN: 16 }));
    expect(autoMatmulVariant(cpu(false))).toBe('direct');
  });

  it('a user kernel switched on for a variant wins over tuning and default, unless the device cannot run it', () => {
    setMatmulTuning(cpu(true), tuning(cpu(true), 'vec4', { microM: 16, microN: 16 }));
    kernelOverrides.set('shaders/matmul.wgsl', '// user kernel', { passed: 7, total: 7 });
    expect(autoMatmulVariant(cpu(true))).toBe('tiled');
    kernelOverrides.clear('shaders/matmul.wgsl');
    kernelOverrides.set('shaders/matmul-subgroup.wgsl', '// user kernel', { passed: 7, total: 7 });
    expect(autoMatmulVariant(cpu(true))).toBe('subgroup');
    expect(autoMatmulVariant(cpu(false)), 'no subgroups: the tuning (vec4) still runs').toBe('vec4');
  });

  it("a user kernel switched on for the subgroup variant's vec4 path (its own file) counts as the subgroup variant", () => {
    setMatmulTuning(cpu(true), tuning(cpu(true), 'vec4', { microM: 16, microN: 16 }));
    kernelOverrides.set('shaders/matmul-subgroup-vec4.wgsl', '// user kernel', { passed: 9, total: 9 });
    try {
      expect(autoMatmulVariant(cpu(true))).toBe('subgroup');
      expect(autoMatmulVariant(cpu(false))).toBe('vec4');
    } finally {
      kernelOverrides.clear('shaders/matmul-subgroup-vec4.wgsl');
    }
    expect(autoMatmulVariant(cpu(true)), 'switched back: the tuning again').toBe('vec4');
  });
});
