// How many layers' gradient norms the depth engine takes in one dispatch (runDeepNets keeps that many
// layers' dA and dW in rings): bounded by NORM_GROUP_LAYERS, the depth and the device's buffer limits.
import { describe, expect, it } from 'vitest';
import { NORM_GROUP_LAYERS, normGroupLayers } from '../../src/labs/depth/deep-net';

const MiB = 2 ** 20;
const limits = (binding: number, buffer = 256 * MiB) => ({ maxStorageBufferBindingSize: binding, maxBufferSize: buffer });

describe('normGroupLayers', () => {
  it('the default sweep (n = 256, m = 128, 16 nets) groups NORM_GROUP_LAYERS layers within 128 MiB', () => {
    // One layer of 16 nets' dW: 16 · 256² · 4 B = 4 MiB; 8 layers 32 MiB.
    expect(normGroupLayers(limits(128 * MiB), { width: 256, batch: 128, nets: 16, depth: 128 })).toBe(NORM_GROUP_LAYERS);
  });
  it('never more layers than the net has', () => {
    expect(normGroupLayers(limits(128 * MiB), { width: 256, batch: 128, nets: 1, depth: 3 })).toBe(3);
    expect(normGroupLayers(limits(128 * MiB), { width: 2, batch: 1, nets: 1, depth: 1 })).toBe(1);
  });
  it('as many layers as the smaller of the two limits holds, by the larger of n² and m·n', () => {
    // n = 1024, 16 nets: 64 MiB per layer of dW (m·n = 128K < n² = 1M floats).
    expect(normGroupLayers(limits(128 * MiB), { width: 1024, batch: 128, nets: 16, depth: 50 })).toBe(2);
    expect(normGroupLayers(limits(256 * MiB, 128 * MiB), { width: 1024, batch: 128, nets: 16, depth: 50 })).toBe(2);
    // m > n: the dA ring decides (m·n = 4096·64 floats · 4 nets = 4 MiB per layer).
    expect(normGroupLayers(limits(10 * MiB), { width: 64, batch: 4096, nets: 4, depth: 50 })).toBe(2);
  });
  it('at least one layer (checkNetBuffers has already refused what does not fit once)', () => {
    expect(normGroupLayers(limits(MiB), { width: 1024, batch: 128, nets: 16, depth: 50 })).toBe(1);
  });
});
