// Compiles every shaders/*.wgsl with Dawn (the `webgpu` npm package) on its null backend: a real WGSL
// front end, no driver needed. Catches syntax and type errors before any browser starts.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const shaderFiles = readdirSync('shaders').filter((f) => f.endsWith('.wgsl')).sort();

let device: GPUDevice;
beforeAll(async () => {
  const { create, globals } = require('webgpu') as { create(flags: string[]): GPU; globals: Record<string, unknown> };
  Object.assign(globalThis, globals);
  const adapter = await create(['backend=null']).requestAdapter();
  if (!adapter) throw new Error("Dawn's null backend gave no adapter: the WGSL lint cannot run");
  // shaders/matmul-subgroup.wgsl says `enable subgroups;`, which compiles only on a device with the feature.
  if (!adapter.features.has('subgroups')) throw new Error("Dawn's null backend lacks 'subgroups': matmul-subgroup.wgsl cannot be linted");
  device = await adapter.requestDevice({ requiredFeatures: ['subgroups' as GPUFeatureName] });
});

async function errorsOf(code: string): Promise<string[]> {
  const module = device.createShaderModule({ code });
  const info = await module.getCompilationInfo();
  return info.messages.filter((m) => m.type === 'error').map((m) => `${m.lineNum}:${m.linePos} ${m.message}`);
}

describe('WGSL compile check (Dawn, null backend)', () => {
  it('finds the shaders', () => {
    expect(shaderFiles).toContain('elementwise.wgsl');
  });

  for (const file of shaderFiles) {
    it(`shaders/${file} compiles without errors`, async () => {
      expect(await errorsOf(readFileSync(`shaders/${file}`, 'utf8'))).toEqual([]);
    });
    it(`shaders/${file} opens with a header comment block`, () => {
      expect(readFileSync(`shaders/${file}`, 'utf8').trimStart().startsWith('//')).toBe(true);
    });
  }

  it('reports a broken shader with line and column (the lint can fail)', async () => {
    const errors = await errorsOf('@compute @workgroup_size(1) fn main() {\n  let x: f32 = 1.0 +;\n}');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/^2:\d+ /);
  });
});
