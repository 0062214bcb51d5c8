// Runs in the page: exposes the library and a shared GPU context to the Node-side tests.
import * as lib from '../../src/index';
import { elementwiseCheck } from '../../src/kernels/checks/elementwise-check';
import { matmulCheck } from '../../src/kernels/checks/matmul-check';
import { momentsCheck } from '../../src/kernels/checks/moments-check';
import { normsCheck } from '../../src/kernels/checks/norms-check';

const ready = lib.requestAppGpu().then((gpu) => {
  harness.gpu = gpu;
  return gpu.summary;
});

/** Base64 ↔ typed arrays: far cheaper through the DevTools protocol than JSON arrays of numbers. */
function toB64(a: ArrayBufferView): string {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
function fromB64(s: string): ArrayBuffer {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out.buffer;
}

const harness = {
  lib,
  /** The Kernel check's cases, one per kernel. */
  checks: { elementwiseCheck, matmulCheck, momentsCheck, normsCheck },
  ready,
  gpu: null as lib.GpuContext | null,
  toB64,
  f32: (s: string) => new Float32Array(fromB64(s)),
  u32: (s: string) => new Uint32Array(fromB64(s)),
};
export type Harness = typeof harness;
(window as unknown as { gp: Harness }).gp = harness;
